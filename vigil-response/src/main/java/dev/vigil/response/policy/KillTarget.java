package dev.vigil.response.policy;

/** What a kill action kills: the matching process, or its whole process group. */
public enum KillTarget { PROCESS, GROUP }
