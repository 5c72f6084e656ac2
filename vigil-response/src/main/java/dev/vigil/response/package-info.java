/**
 * The response layer: what happens when a rule matches. A policy ({@code policy}) gives each rule its actions
 * for the workload's scope (project, environment, workload, image, labels); the responder judges syscall
 * attempts while they are stopped (block, kill), delivers alerts through noise control (de-duplication, a rate
 * limit per rule) and webhooks, and reports every action as an event. Depends on the rules and state layers;
 * nothing below depends on it.
 */
package dev.vigil.response;
