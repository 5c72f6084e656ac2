/**
 * Findings sent to webhooks: a {@link dev.vigil.response.webhook.Finding} (alert, workload, actions taken) is
 * rendered as the versioned JSON {@code vigil.finding/1} ({@link dev.vigil.response.webhook.FindingJson}) and
 * POSTed by {@link dev.vigil.response.webhook.WebhookSender} on one virtual thread behind a bounded queue, so a
 * slow tracker never holds up the sensor. Used by the responder.
 */
package dev.vigil.response.webhook;
