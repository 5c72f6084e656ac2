package dev.vigil.hunt.store;

/** Rows written by one batch insert; duplicates are rows whose id was already stored (or repeated in the batch). */
public record InsertResult(long eventsInserted, long eventsDuplicate, long alertsInserted, long alertsDuplicate) {}
