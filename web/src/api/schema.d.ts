// Generated from the API's OpenAPI document by `npm run build:api-types`: do not edit by hand.
// A test regenerates it and fails when it differs.
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Is the service up? */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Does the process answer? (restart it when not) */
        get: operations["getHealthLive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** May it be sent requests? 503 while it shuts down or its store does not answer */
        get: operations["getHealthReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The canonical bytes of leaves [start, end), in leaf order
         * @description Each entry is base64 of the canonical bytes; its leaf hash is SHA-256(0x00 ‖ bytes). At most 1000 per read; a subject reads leaves of its own trail only. Audited.
         */
        get: operations["getAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/head": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The latest signed tree head of the audit log
         * @description Cut every few seconds while entries arrive. Verify `signature` with `public_key` (Ed25519) over the checkpoint text, which is every line of `checkpoint` above its blank line. Auditors, operators and subjects.
         */
        get: operations["getAuditHead"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log's public key */
        get: operations["getAuditKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/proof/consistency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The proof that the tree of `first` leaves is a prefix of the tree of `second` (RFC 6962 §2.1.2) */
        get: operations["getAuditProofConsistency"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/proof/inclusion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit path of a leaf in the tree of tree_size leaves (RFC 6962 §2.1.1) */
        get: operations["getAuditProofInclusion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/catalogue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The record types a source may submit, each with its legal basis */
        get: operations["getCatalogue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Does a measure apply to a subject? Yes or no with a reason code; the list, period and case when it does
         * @description Only for measures granted to the relying party, for one of its registered purposes named in `x-purpose` (400 without one), within its daily quota (429 with `Retry-After` past it). When the measure does not apply the answer is the same whatever the reason and whether or not the subject is on file. Every check is audited with its purpose, every refusal too.
         */
        get: operations["getChecks"];
        put?: never;
        /**
         * One measure for up to 1000 subjects in one call
         * @description The batch names its purpose in `purpose` (or `x-purpose`); each subject counts against the daily quota.
         */
        post: operations["postChecks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/checks/{check_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A logged check explained and recomputed as of when it was answered (auditors; a subject: its own)
         * @description The logged answer with who asked, why and when; the versions of the measures and lists policies it was answered under and the legal basis; the list entry and the reason records it rested on; and the answer recomputed as of its instant — records and bindings as known then, the terms in force then — with `agrees`, under the lists policy in force at that instant (`version_mismatch` and `note` when the check logged another). Auditors and operators state a purpose (`x-purpose`, shown to the subject); a subject may explain only a check of itself (its check IDs are in `GET /v1/me`; another’s check is answered 404 as one that does not exist); a relying party never. Every explanation is audited on the subject’s trail.
         */
        get: operations["getChecksByCheckId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/audit-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log’s latest signed head and its latest verification (operators and auditors) */
        get: operations["getConsoleAuditStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/audit-verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify the whole audit log now and keep the result (operators and auditors)
         * @description Recomputes every leaf and the tree from the stored entries and checks them against the stored hashes, tiles and every signed head, as `credence audit verify` does; the result becomes the latest verification.
         */
        post: operations["postConsoleAuditVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The operator console’s dashboard (operators and auditors)
         * @description Grades of the population, records ingested per day by source kind (90 days), list sizes at month ends (12 months) and today, the objections and repair applications due (overdue first), held rating windows and inspection plans. The read is audited; each subject named in the due lists gets the entry the review queues give it.
         */
        get: operations["getConsoleDashboard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/policy-check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The policy check of the policies in force, as `credence policy check` runs it (operators and auditors)
         * @description Each policy file with its errors and warnings, then the proportionality of every measure (product rule 4) under a jurisdiction profile. Reads the files as they are now.
         */
        get: operations["getConsolePolicyCheck"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inspections/{id}/outcome": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enter the outcome of an inspection you are assigned; it becomes a record and is published */
        post: operations["postInspectionsByIdOutcome"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inspections/inspectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Put an inspector on a regulator's roster with its declared conflicts (operator)
         * @description A new inspector is 201. One already on the roster is updated with what is given, 200 with `change` and what it held before (`previous`): a `name` or `conflicts` left out keep what the roster holds; `"conflicts": []` clears them.
         */
        post: operations["postInspectionsInspectors"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inspections/mine": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The inspections assigned to you (an inspector), overdue ones flagged */
        get: operations["getInspectionsMine"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inspections/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Inspection plans (their inputs are public) */
        get: operations["getInspectionsPlans"];
        put?: never;
        /**
         * Draw a regulator's inspection plan for a period (operator)
         * @description Classes A–D from each file, the snapshots hashed and audited, then the seed: the SHA-256 of a signed audit head cut after them, or an operator-entered public lottery seed. The plan keeps every input.
         */
        post: operations["postInspectionsPlans"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inspections/plans/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One plan: its inputs, and the targets the caller may see */
        get: operations["getInspectionsPlansById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inspections/plans/{id}/complaints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add an inspection made on a complaint to a plan (operator): the only way a red-listed organization is inspected */
        post: operations["postInspectionsPlansByIdComplaints"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inspections/plans/{id}/inputs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A plan's draw inputs, to re-run it anywhere (operators and auditors; the public once it is done) */
        get: operations["getInspectionsPlansByIdInputs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inspections/plans/{id}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Re-run a plan's draw from its published inputs: identical or not */
        get: operations["getInspectionsPlansByIdVerify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inspections/published": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Results of inspections done, newest first (public)
         * @description An outcome is published while its record stands: one under objection is shown with `contested: true`; one whose record was removed on objection, withdrawn by the regulator, repaired or archived is no longer shown.
         */
        get: operations["getInspectionsPublished"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/interactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue interaction tokens for services that took place (a source)
         * @description One interaction, or `{"interactions": [...]}` for up to 1000 at once (all or nothing). A hospital vouches for its doctors, nurses and pharmacists, a school for its teachers (the kinds that license them), local government for public bodies; an operator names the source with `?source=CODE` (as for `POST /v1/records`) or the body field `source`. A withdrawn source issues none (409).
         */
        post: operations["postInteractions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your own file: records, score and what to do about it, lists, measures, who looked
         * @description For a subject’s credential. Each record with its source, case, status, history, the day it stops counting and, when negative, the day it may be repaired; the key factors (at most four) each with what you can do; list entries and measures in force with their legal basis; the access log, paged, with relying parties’ checks grouped per party and day.
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/bindings/{id}/objections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Object to a binding that names you (legal representative, principal responsible person, actual controller)
         * @description For a person wrongly recorded as bound to an organization, or recorded with the wrong days: the binding (its `id` in your file’s `bindings`) is marked disputed at once and the same review clock, notice to the registration authority, decision and appeal follow as for a record. Whether it keeps binding meanwhile is the due-process policy’s `bindings_while_disputed` (`counts_while_pending`).
         */
        post: operations["postMeBindingsByIdObjections"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your score and grade at the end of each of the last 24 months and today
         * @description For a subject’s credential. Each point is the scoring engine’s result as of that day from your records as they stand now (a record removed or corrected since counts as it now is). The read is audited.
         */
        get: operations["getMeHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your notifications, newest first
         * @description For a subject’s credential: its own notifications only. The read is audited.
         */
        get: operations["getMeNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/notifications/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark one of your notifications read
         * @description The first time it was marked read is kept. Another subject’s notification is 404, as one that does not exist.
         */
        post: operations["postMeNotificationsByIdRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/objections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your objections with their clocks and decisions */
        get: operations["getMeObjections"];
        put?: never;
        /**
         * Object to a record of your own file
         * @description The record is marked disputed at once and a review clock starts on the working-day calendar. Whether it keeps counting meanwhile is its type’s rule (`counts_while_pending`).
         */
        post: operations["postMeObjections"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/objections/{id}/appeal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Appeal the decision on your objection (once, within the appeal window) */
        post: operations["postMeObjectionsByIdAppeal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/ratings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How you were rated: aggregates, held counts and comments you can answer
         * @description The aggregates as the public sees them. A rating counts in them, and its comment is shown and can be answered or objected to, once it is `reveal_after_days` old, so a new rating cannot be tied to the person just served; a comment shows the week it was given in, never its day nor the service rated.
         */
        get: operations["getMeRatings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/ratings/{id}/objection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Object to a rating of you: an operator reviews it; it keeps counting meanwhile */
        post: operations["postMeRatingsByIdObjection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/ratings/{id}/reply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a comment publicly (replaces your earlier answer) */
        post: operations["postMeRatingsByIdReply"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/repairs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your repair applications with their clocks and decisions */
        get: operations["getMeRepairs"];
        put?: never;
        /**
         * Apply to repair a negative record of your own file
         * @description Free. Needs a public credit commitment and proof of performance. Refused with 409 for a positive record, an irreparable type, a record that no longer counts or is under objection, one with an open application, and before the minimum period of its class has passed: the message then names the day it becomes eligible, also given as the issue `eligible_from`.
         */
        post: operations["postMeRepairs"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your own file as a printable page (HTML, A4) in your language */
        get: operations["getMeReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/objections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The objection queue: open ones first, overdue leading, then by due day
         * @description Operators and auditors see every objection; a source sees the objections to the records it sent, and its first read of one is the notice it is owed. `status=appealed` is the appeal queue.
         */
        get: operations["getObjections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/objections/{id}/attachments/{index}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A file attached to an objection as evidence (reviewers, and the subject who filed it) */
        get: operations["getObjectionsByIdAttachmentsByIndex"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/objections/{id}/decision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decide an objection (or, when appealed, the appeal: final) with written reasons
         * @description For a record: record_confirmed keeps the record as it was; record_corrected replaces the fields in `correction`; record_removed takes it out of the file. For a binding: binding_confirmed keeps it; binding_corrected sets the days in `binding_correction`; binding_removed withdraws it (kept, bound nowhere). The change flows to scores, lists and the next check of the person and the organization.
         */
        post: operations["postObjectionsByIdDecision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/outbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Notifications queued, sent, failed and waiting to retry, dead, and superseded (never to be sent: what they announced no longer stood before they went out, the listing removed, its end changed since, or the notice queued again with its present text), with the latest problems */
        get: operations["getOutbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/outbox/requeue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Put dead notifications back in the queue with a fresh round of attempts (operator), by outbox row id or all */
        post: operations["postOutboxRequeue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/lists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The black and red lists with how many entries are in force (public) */
        get: operations["getPublicLists"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/lists/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Entries in force on one list, newest first, a page at a time (public)
         * @description Organizations and public bodies with name and code; persons only on a list that publishes them (the court list of judgment defaulters), as the court publishes them: name, masked ID number, court, case number, date.
         */
        get: operations["getPublicListsByCode"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/organizations/{identifier}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What is published about an organization or a public body (public; audited)
         * @description Its grade with at most four key factors behind it, entries in force on the black and red lists with their basis, period and case, published inspection results and rating aggregates with their counts. 404 for anything but an organization or a public body.
         */
        get: operations["getPublicOrganizationsByIdentifier"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search organizations and public bodies by part of a name or by code (public)
         * @description Never persons. `q` is a Unified Social Credit Code (exact) or part of a name: any run of characters of it, Chinese from one character, Latin letters in either case. Best matches first: the code, then names starting with `q`, then names containing it; ties by name.
         */
        get: operations["getPublicSearch"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ratings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rate a service with its interaction token (a rater)
         * @description One rating per token. A malformed or unknown token is 400, a used one 409, an expired one 410. The rating is `held` when it falls in a window held for review (a burst, a ring, connected raters, repeated text, a rate limit); a comment with personal data of others or protected categories is held and not published.
         */
        post: operations["postRatings"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ratings/{subject}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Published ratings of an organization, a public body (by USCC) or a licensed professional (by licence number)
         * @description Public. Who rated is never shown, nor the service rated. A rating is shown only once it is `reveal_after_days` old, in the aggregates as one by one; aggregates are published from the policy’s minimum count, and comments with them. Each read is on the subject’s access log.
         */
        get: operations["getRatingsBySubject"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ratings/held": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Held rating windows (operator, auditor), newest first */
        get: operations["getRatingsHeld"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ratings/held/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One held window with its ratings (raters by pseudonym only) */
        get: operations["getRatingsHeldById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ratings/held/{id}/decision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm (its ratings stop counting) or release (they count) a held window, with reasons */
        post: operations["postRatingsHeldByIdDecision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ratings/sweep": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run detection over every rating and turn sustained aggregates into records (operator) */
        post: operations["postRatingsSweep"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/records": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a batch of up to 10000 records
         * @description The source is the one the credential belongs to; an operator names it with `?source=CODE`. Each record is stored, recognised as a duplicate (same source_record_id and content) or rejected with its field and reason. A line with `"action": "correct"` and the full new content replaces a record sent before (by its source_record_id; the earlier version is kept), and `{"action": "withdraw", "source_record_id", "reason"}` withdraws one; the subject is told. A record sent again with other content and no action is refused, naming the fields that differ. A withdrawn source (`credence sources revoke`) submits nothing until it has a new credential: 409.
         */
        post: operations["postRecords"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/relying-parties": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Registered relying parties with their measures, purposes, daily quota and the checks they made today (operators and auditors) */
        get: operations["getRelyingParties"];
        put?: never;
        /** Register a relying party with the measures it may ask about, its purposes and daily quota (operator); its token is shown once */
        post: operations["postRelyingParties"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/relying-parties/{code}/purposes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set a relying party's purposes (operator; audited)
         * @description Replaces them: its checks may name only these from now on.
         */
        put: operations["putRelyingPartiesByCodePurposes"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/repairs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The repair queue: open ones first, overdue leading, then by due day */
        get: operations["getRepairs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/repairs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One repair application */
        get: operations["getRepairsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/repairs/{id}/attachments/{n}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One file of an application’s proof of performance (0-based) */
        get: operations["getRepairsByIdAttachmentsByN"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/repairs/{id}/decision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decide a repair application with reasons
         * @description granted: the record is repaired and stops counting; scores, list entries and the next check follow at once. From pending, the feedback is given with the decision.
         */
        post: operations["postRepairsByIdDecision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/repairs/{id}/feedback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Feedback on a pending application (within 10 working days)
         * @description Accepted starts the 3-working-day decision clock; not accepted closes the application.
         */
        post: operations["postRepairsByIdFeedback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the credential sent is: its role (`public` without one), for a client choosing its views */
        get: operations["getSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The registered sources (never their credentials), with the records each sent today */
        get: operations["getSources"];
        put?: never;
        /** Register a source; its credential is shown once */
        post: operations["postSources"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sources/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change what a source declares: the organization it is, its daily service volume (audited)
         * @description A field left out is kept; `null` clears it (no organization; the policy default volume).
         */
        patch: operations["patchSourcesByCode"];
        trace?: never;
    };
    "/v1/sources/{code}/credential": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate a source's credential: the new one is shown once, the old one is refused at once */
        post: operations["postSourcesByCodeCredential"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sources/{code}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a source's credential: it can no longer authenticate; its records stay */
        post: operations["postSourcesByCodeRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sources/{code}/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A source's roster: who serves under it, with days (a source reads its own only; audited) */
        get: operations["getSourcesByCodeStaff"];
        put?: never;
        /**
         * Put persons on a source's roster, all or nothing (audited on each person's trail)
         * @description One entry, or `{"staff": [...]}` for many. A licensed professional is named by licence, anyone else by resident ID; an own-name source vouches for a professional only while on its roster.
         */
        post: operations["postSourcesByCodeStaff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sources/{code}/staff/remove": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take a person off a source's roster from a day on (tomorrow by default: on through today); the entry is kept, ended */
        post: operations["postSourcesByCodeStaffRemove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How much the platform holds */
        get: operations["getStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subjects/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A subject's file: who it is, its records and who looked at it
         * @description Send `x-purpose` to say why you read it: the purpose is shown to the subject.
         */
        get: operations["getSubjectsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subjects/{id}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A subject's own file as a printable page (HTML, A4), as the subject sees it
         * @description Operators and auditors; send `x-purpose` (shown to the subject). The subject itself may too.
         */
        get: operations["getSubjectsByIdReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subjects/{id}/score": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A subject's score, domain sub-scores, grade and key factors as of a date
         * @description Traced to the records and rules that made it: the breakdown and the base add up to the score. `as_of` reproduces the result as the platform knew it then. Subject itself, operators and auditors.
         */
        get: operations["getSubjectsByIdScore"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The API tokens issued, newest first, and whether each was revoked (never the token) */
        get: operations["getTokens"];
        put?: never;
        /** Issue an API token for a role */
        post: operations["postTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}/renew": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Renew a live API token: it expires `days` (default 90) from now */
        post: operations["postTokensByIdRenew"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke an API token: refused at once by every server on this store */
        post: operations["postTokensByIdRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Every error has this shape; quote request_id when reporting a problem. */
        Error: {
            error: {
                /** @enum {string} */
                code: "invalid_input" | "not_found" | "unauthenticated" | "forbidden" | "conflict" | "gone" | "protected_category" | "policy_violation" | "rate_limited" | "unavailable" | "internal";
                issues: {
                    field?: string;
                    line?: number;
                    message: string;
                }[];
                message: string;
                request_id: string;
            };
        };
        RecordLineInput: {
            action?: ("create" | "correct") | null;
            amount?: number | null;
            decided_at?: string | null;
            disclosed_at?: string | null;
            evidence?: string | null;
            note?: string | null;
            occurred_at: string;
            reason?: string | null;
            source_record_id: string;
            subject: {
                id_number: string;
                /** @constant */
                kind: "person";
                licences?: {
                    /** @enum {string} */
                    kind: "doctor" | "teacher" | "lawyer" | "pharmacist" | "nurse" | "accountant" | "architect";
                    number: string;
                }[] | null;
                name: string;
            } | {
                actual_controller?: {
                    id_number: string;
                    name: string;
                } | null;
                /** @enum {string} */
                kind: "organization" | "public_body";
                legal_representative?: {
                    id_number: string;
                    name: string;
                } | null;
                name: string;
                principal_responsible_persons?: {
                    id_number: string;
                    name: string;
                }[] | null;
                uscc: string;
            };
            type: string;
        };
        RecordType: {
            /** @enum {string} */
            amount: "none" | "money_yuan" | "months" | "hours";
            code: string;
            description: string;
            direct_grade: ("B" | "C" | "D") | null;
            /** @enum {string} */
            domain: "government" | "commercial" | "social" | "judicial";
            legal_basis: string;
            name: string;
            points: number;
            /** @enum {string} */
            polarity: "negative" | "positive";
            /** @enum {string} */
            severity: "minor" | "general" | "serious";
            source_kinds: ("court" | "police" | "tax" | "bank" | "employer" | "market_regulator" | "ecommerce" | "telecom" | "social_platform" | "local_government" | "hospital" | "school" | "citizen_ratings")[];
            subject_kinds: ("person" | "organization" | "public_body")[];
            validity_years: number;
        };
        Source: {
            /** @description why it cannot issue interaction tokens now, naming the commands that fix it (an own-name source with no organization declared); null: nothing stops it */
            cannot_issue_tokens: string | null;
            code: string;
            created_at: string;
            /** @description services it declares a day; null: the ratings policy's default */
            daily_service_volume: number | null;
            kind: string;
            legal_basis: string;
            name: string;
            /** @description the organization or public body it is; null: none declared */
            organization: {
                kind: string;
                name: string;
                uscc: string;
            } | null;
            /** @description when its credential was revoked; null: it may authenticate */
            revoked_at: string | null;
            types: string[];
        };
        SourceWithUsage: {
            /** @description why it cannot issue interaction tokens now, naming the commands that fix it (an own-name source with no organization declared); null: nothing stops it */
            cannot_issue_tokens: string | null;
            code: string;
            created_at: string;
            /** @description services it declares a day; null: the ratings policy's default */
            daily_service_volume: number | null;
            kind: string;
            legal_basis: string;
            name: string;
            /** @description the organization or public body it is; null: none declared */
            organization: {
                kind: string;
                name: string;
                uscc: string;
            } | null;
            /** @description records it sent today (the platform's TIME_ZONE day); sources have no quota */
            records_today: number;
            /** @description when its credential was revoked; null: it may authenticate */
            revoked_at: string | null;
            types: string[];
        };
        StaffEntry: {
            ended_at: string | null;
            from: string;
            id: number;
            licence: {
                kind: string;
                number: string;
            } | null;
            person: {
                id_number: string;
                name: string;
            };
            position: string | null;
            recorded_at: string;
            /** @description the first day no longer on the roster; null: open-ended */
            until: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        backend: "sqlite" | "postgres";
                        catalogue_version: string;
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
        };
    };
    getHealthLive: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "live";
                    };
                };
            };
        };
    };
    getHealthReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description present when a read replica is configured (DATABASE_REPLICA_URL); one not in use does not make the server unready. Why it is not in use is in the log, not here (this answer is public), except a replica refused for what it is (`refused`, a fixed word) */
                        replica?: {
                            /** @description reads that may lag go to the replica now; false: the primary serves them */
                            in_use: boolean;
                            /** @description how old its state may be now (an upper bound); null: never seen to replay, or it does not answer, or it is refused */
                            lag_seconds: number | null;
                            /** @description REPLICA_MAX_LAG_MS */
                            max_lag_ms: number;
                            /**
                             * @description present when the replica answers but is not a standby of the primary, so is never read from: not in recovery, of another cluster (another system identifier), or on a later timeline (following another primary)
                             * @enum {string}
                             */
                            refused?: "not_a_standby" | "other_cluster" | "other_timeline";
                        };
                        /** @enum {string} */
                        status: "ready" | "draining" | "store_unavailable";
                    };
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description present when a read replica is configured (DATABASE_REPLICA_URL); one not in use does not make the server unready. Why it is not in use is in the log, not here (this answer is public), except a replica refused for what it is (`refused`, a fixed word) */
                        replica?: {
                            /** @description reads that may lag go to the replica now; false: the primary serves them */
                            in_use: boolean;
                            /** @description how old its state may be now (an upper bound); null: never seen to replay, or it does not answer, or it is refused */
                            lag_seconds: number | null;
                            /** @description REPLICA_MAX_LAG_MS */
                            max_lag_ms: number;
                            /**
                             * @description present when the replica answers but is not a standby of the primary, so is never read from: not in recovery, of another cluster (another system identifier), or on a later timeline (following another primary)
                             * @enum {string}
                             */
                            refused?: "not_a_standby" | "other_cluster" | "other_timeline";
                        };
                        /** @enum {string} */
                        status: "ready" | "draining" | "store_unavailable";
                    };
                };
            };
        };
    };
    getAuditEntries: {
        parameters: {
            query: {
                end: number;
                start: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        end: number;
                        entries: string[];
                        start: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuditHead: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the same head as a C2SP signed checkpoint note */
                        checkpoint: string;
                        /** @description the log's raw Ed25519 public key */
                        public_key: string;
                        /** @description RFC 6962 root of the first tree_size leaves */
                        root_hash: string;
                        /** @description Ed25519 over the checkpoint text: "<origin>\n<tree_size>\n<base64 root>\ntimestamp <timestamp>\n" */
                        signature: string;
                        /** @description when the head was cut (ISO 8601 UTC); signed */
                        timestamp: string;
                        tree_size: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuditKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description signed-note key ID: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4] */
                        key_id: string;
                        /** @description the log name: the origin line of its checkpoints */
                        name: string;
                        public_key: string;
                        /** @description C2SP verifier key: <name>+<key id>+<base64(0x01 ‖ public key)> */
                        verifier_key: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuditProofConsistency: {
        parameters: {
            query: {
                first: number;
                second: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        first: number;
                        proof: string[];
                        second: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuditProofInclusion: {
        parameters: {
            query: {
                index: number;
                tree_size: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audit_path: string[];
                        leaf_hash: string;
                        leaf_index: number;
                        /** @description the root the path leads to: compare it with a signed head */
                        root_hash: string;
                        tree_size: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCatalogue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        label: string;
                        types: components["schemas"]["RecordType"][];
                        /** @description sha256 of the catalogue file: records and scores cite it */
                        version: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getChecks: {
        parameters: {
            query: {
                measure: string;
                subject: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        applies: boolean;
                        /** @description what the answer rests on, the same for every subject of the call: nothing about the subject (product rules 5 and 10) */
                        basis: {
                            /** @description the measure's legal basis, as the measures policy states it */
                            legal_basis: string;
                            /** @description SHA-256 of the lists policy in force when it was given (kept with the check) */
                            lists_policy_version: string;
                            /** @description SHA-256 of the measures policy the answer was given under (kept with the check) */
                            measures_policy_version: string;
                        };
                        /** @description when a list entry applies: the case the subject can contest */
                        case_reference: string | null;
                        /** @description the check as logged; the subject it is about and auditors can have it explained (`GET /v1/checks/{check_id}`) */
                        check_id: string;
                        /**
                         * @description present when the entry that applies rests on a record under a pending objection: it binds until corrected
                         * @enum {boolean}
                         */
                        contested?: true;
                        from: string | null;
                        list: string | null;
                        measure: string;
                        reason_code: string;
                        until: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postChecks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    measure: string;
                    /** @description one of the relying party’s registered purposes */
                    purpose?: string;
                    subjects: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description what the answer rests on, the same for every subject of the call: nothing about the subject (product rules 5 and 10) */
                        basis: {
                            /** @description the measure's legal basis, as the measures policy states it */
                            legal_basis: string;
                            /** @description SHA-256 of the lists policy in force when it was given (kept with the check) */
                            lists_policy_version: string;
                            /** @description SHA-256 of the measures policy the answer was given under (kept with the check) */
                            measures_policy_version: string;
                        };
                        results: {
                            applies: boolean;
                            /** @description when a list entry applies: the case the subject can contest */
                            case_reference: string | null;
                            /** @description the check as logged; the subject it is about and auditors can have it explained (`GET /v1/checks/{check_id}`) */
                            check_id: string;
                            /**
                             * @description present when the entry that applies rests on a record under a pending objection: it binds until corrected
                             * @enum {boolean}
                             */
                            contested?: true;
                            from: string | null;
                            list: string | null;
                            measure: string;
                            reason_code: string;
                            subject: string;
                            until: string | null;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getChecksByCheckId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                check_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description whether the recomputation gives the logged answer (applies and reason code); null: not recomputed */
                        agrees: boolean | null;
                        /** @description the policy versions logged with the check, and the legal basis of the measure in that version */
                        basis: {
                            /** @description null: the measures policy logged is not on file */
                            legal_basis: string | null;
                            /** @description null: that version’s text is not on file */
                            lists_policy_label: string | null;
                            lists_policy_version: string;
                            /** @description null: the measures policy logged is not on file */
                            measure_name: string | null;
                            /** @description null: that version’s text is not on file */
                            measures_policy_label: string | null;
                            measures_policy_version: string;
                        };
                        /** @description the check as the log keeps it (measure, applies, reason code), with who asked, why and when; the list and period it named are those of `recomputed` when `agrees` */
                        check: {
                            applies: boolean;
                            /** @description when it was answered and logged */
                            at: string;
                            /** @description the audit entry committing to its group of checks */
                            audit_seq: number;
                            check_id: string;
                            /** @description the platform's day (TIME_ZONE) it was answered for */
                            day: string;
                            /** @description that entry's leaf in the audit log's Merkle tree; null: not yet in the tree */
                            leaf_index: number | null;
                            measure: string;
                            purpose: string;
                            reason_code: string;
                            /** @description the relying party's code; null for an operator's check */
                            relying_party: string | null;
                            role: string;
                            /** @description the identifier checked */
                            subject: string;
                            /** @description who asked, by registered name */
                            who: string;
                        };
                        /** @description the list entry the answer rested on, as recomputed; null when none */
                        entry: {
                            from: string;
                            list: string;
                            note: string;
                            /** @enum {string} */
                            of: "subject" | "bound_organization";
                            reason_code: string;
                            status: string;
                            until: string | null;
                        } | null;
                        /** @description why the explanation is not plain: a version mismatch, or why not recomputed */
                        note: string | null;
                        /** @description the entry's reason records as they were on file then, with their status now */
                        reason_records: {
                            case_reference: string | null;
                            decided_at: string | null;
                            id: number;
                            occurred_at: string;
                            recorded_at: string;
                            status_now: string | null;
                            status_then: string;
                            type: string;
                            type_name: string;
                        }[];
                        /** @description the answer recomputed as of the instant it was given: records and bindings as known then, the lists, measures and scoring policies in force then; null when a policy text it needs is not on file (`note`) */
                        recomputed: {
                            applies: boolean;
                            as_of: string;
                            case_reference: string | null;
                            /** @enum {boolean} */
                            contested?: true;
                            from: string | null;
                            /** @description for a grade-triggered measure: the grade then */
                            grade: string | null;
                            /** @description records and bindings as they were on file at this instant */
                            known_at: string;
                            list: string | null;
                            /** @description the lists policy recomputed under: the one in force at the check's instant (policy periods) */
                            lists_policy_version: string;
                            /** @description the measures policy recomputed under: the one logged */
                            measures_policy_version: string;
                            reason_code: string;
                            until: string | null;
                        } | null;
                        /** @description whether the lists policy logged with the check differs from the one in force at its instant (recomputed under the latter) */
                        version_mismatch: boolean;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getConsoleAuditStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the latest signed tree head, as GET /v1/audit/head gives it; null before the first */
                        head: {
                            checkpoint: string;
                            public_key: string;
                            root_hash: string;
                            signature: string;
                            timestamp: string;
                            tree_size: number;
                        } | null;
                        /** @description null: never verified on this database */
                        last_verification: {
                            /** @description when it ran */
                            at: string;
                            /** @description the size of a stored or kept head that is not the log’s own */
                            bad_head: number | null;
                            /** @description who ran it */
                            by: string;
                            /** @description the leaf index of the first changed, removed or reordered entry */
                            first_bad_index: number | null;
                            /** @description signed heads checked (intact only) */
                            heads: number | null;
                            ok: boolean;
                            reason: string | null;
                            /** @description the root of the whole tree when intact */
                            root: string | null;
                            /** @description intact: the leaves checked; broken: the leaves the stored tree holds */
                            tree_size: number;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postConsoleAuditVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description when it ran */
                        at: string;
                        /** @description the size of a stored or kept head that is not the log’s own */
                        bad_head: number | null;
                        /** @description who ran it */
                        by: string;
                        /** @description the leaf index of the first changed, removed or reordered entry */
                        first_bad_index: number | null;
                        /** @description signed heads checked (intact only) */
                        heads: number | null;
                        ok: boolean;
                        reason: string | null;
                        /** @description the root of the whole tree when intact */
                        root: string | null;
                        /** @description intact: the leaves checked; broken: the leaves the stored tree holds */
                        tree_size: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getConsoleDashboard: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description YYYY-MM-DD */
                        as_of: string;
                        /** @description the population by subject kind and latest stored grade */
                        grades: {
                            /** @description grade → subjects whose latest grade it is */
                            organization: {
                                [key: string]: number;
                            };
                            /** @description grade → subjects whose latest grade it is */
                            person: {
                                [key: string]: number;
                            };
                            /** @description grade → subjects whose latest grade it is */
                            public_body: {
                                [key: string]: number;
                            };
                        };
                        held_ratings: {
                            /** @description the oldest pending windows (at most 5), oldest first */
                            oldest: {
                                created_at: string;
                                id: number;
                                ratings: number;
                                reason: string;
                                reason_text: string;
                                subject: {
                                    identifier: string;
                                    name: string | null;
                                } | null;
                                window: {
                                    from: string;
                                    to: string;
                                };
                            }[];
                            /** @description held rating windows awaiting a decision */
                            pending: number;
                        };
                        /** @description records written per UTC day and source kind since ingest_from (days without any left out) */
                        ingest: {
                            count: number;
                            /** @description YYYY-MM-DD */
                            day: string;
                            source_kind: string;
                        }[];
                        /** @description the first of the last 90 days */
                        ingest_from: string;
                        /** @description inspection plans, newest first */
                        inspections: {
                            created_at: string;
                            /** @description inspections with an outcome */
                            done: number;
                            id: number;
                            /** @description inspections without an outcome past their due day */
                            overdue: number;
                            period: string;
                            regulator: string;
                            targets: number;
                        }[];
                        list_sizes: {
                            /** @description entries in force today */
                            current: {
                                count: number;
                                kind: string;
                                list: string;
                                name: string;
                            }[];
                            /** @description entries in force on the last day of each of the last 12 months, every list each month */
                            months: {
                                count: number;
                                /** @description YYYY-MM-DD */
                                day: string;
                                list: string;
                                /** @description YYYY-MM */
                                month: string;
                            }[];
                        };
                        objections_due: {
                            /** @description the first 50 open ones by the day their clock runs out: overdue first */
                            items: {
                                /** @description the last day of the clock running now */
                                due: string | null;
                                /** @description when it was filed (a repair: applied) */
                                filed_at: string;
                                id: number;
                                overdue: boolean;
                                status: string;
                                subject: {
                                    identifier: string;
                                    name: string;
                                };
                            }[];
                            /** @description open objections (pending or appealed) past their clock */
                            overdue: number;
                            /** @description open objections (pending or appealed) */
                            total: number;
                        };
                        repairs_due: {
                            /** @description the first 50 open ones by the day their clock runs out: overdue first */
                            items: {
                                /** @description the last day of the clock running now */
                                due: string | null;
                                /** @description when it was filed (a repair: applied) */
                                filed_at: string;
                                id: number;
                                overdue: boolean;
                                status: string;
                                subject: {
                                    identifier: string;
                                    name: string;
                                };
                            }[];
                            /** @description open repair applications (pending or accepted) past their clock */
                            overdue: number;
                            /** @description open repair applications (pending or accepted) */
                            total: number;
                        };
                        /** @description subjects never scored */
                        unscored: {
                            organization: number;
                            person: number;
                            public_body: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getConsolePolicyCheck: {
        parameters: {
            query?: {
                /** @description cn, eu, …; default: the measure policy’s own */
                profile?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        files: {
                            errors: {
                                line: number | null;
                                message: string;
                                /** @description where in the file, e.g. measures[3].effect_domains[0] */
                                path: string | null;
                            }[];
                            /** @description relative to the project folder, e.g. policies/catalogue.yaml */
                            file: string;
                            /** @description null when the file could not be read as a policy */
                            kind: ("catalogue" | "scoring" | "lists" | "measures" | "calendar" | "due-process" | "ratings" | "supervision") | null;
                            ok: boolean;
                            /** @description what a valid file holds, as `credence policy check` prints it */
                            summary: string | null;
                            warnings: {
                                line: number | null;
                                message: string;
                                /** @description where in the file, e.g. measures[3].effect_domains[0] */
                                path: string | null;
                            }[];
                        }[];
                        /** @description every file valid and no proportionality error */
                        ok: boolean;
                        /** @description the jurisdiction profile proportionality was checked under */
                        profile: string;
                        proportionality: {
                            /** @description false when the catalogue, lists or measures are invalid */
                            checked: boolean;
                            errors: number;
                            ok: boolean;
                            warnings: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postInspectionsByIdOutcome: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string;
                    /** @enum {string} */
                    outcome: "passed" | "corrected_on_spot" | "ordered_corrected" | "penalty_referred";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        class: string;
                        due_day: string;
                        id: number;
                        inspectors: string[];
                        /** @description made on a complaint, outside the draw */
                        on_complaint: boolean;
                        outcome: string | null;
                        outcome_at: string | null;
                        overdue: boolean;
                        plan_id: number;
                        /** @description null until the outcome is entered, and again once its record no longer stands (removed on objection, withdrawn, repaired or archived) */
                        published_at: string | null;
                        target: {
                            kind: string;
                            name: string;
                            uscc: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postInspectionsInspectors: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the inspector credential's ref */
                    code: string;
                    /** @description USCCs it may not inspect, the whole set; default: none (a new inspector), else those on file */
                    conflicts?: string[];
                    /** @description default: the code (a new inspector), else the name on file */
                    name?: string;
                    /** @description a source of kind market_regulator or local_government */
                    regulator: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        change: "updated" | "unchanged";
                        code: string;
                        conflicts: string[];
                        name: string;
                        /** @description what it held before */
                        previous: {
                            conflicts: string[];
                            name: string;
                        };
                        regulator: string;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        change: "added";
                        code: string;
                        conflicts: string[];
                        name: string;
                        regulator: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getInspectionsMine: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        inspections: {
                            class: string;
                            due_day: string;
                            id: number;
                            inspectors: string[];
                            /** @description made on a complaint, outside the draw */
                            on_complaint: boolean;
                            outcome: string | null;
                            outcome_at: string | null;
                            overdue: boolean;
                            plan_id: number;
                            /** @description null until the outcome is entered, and again once its record no longer stands (removed on objection, withdrawn, repaired or archived) */
                            published_at: string | null;
                            target: {
                                kind: string;
                                name: string;
                                uscc: string;
                            };
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getInspectionsPlans: {
        parameters: {
            query?: {
                regulator?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        plans: {
                            created_at: string;
                            id: number;
                            period: string;
                            regulator: string;
                            /** @description operators and auditors; others see it on the plan once it is done */
                            seed: string | null;
                        }[];
                    };
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postInspectionsPlans: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    period: string;
                    regulator: string;
                    seed?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        history_hash: string;
                        id: number;
                        /** @description every target for operators and auditors; an inspector its own; others only those done whose results stand */
                        inspections: {
                            class: string;
                            due_day: string;
                            id: number;
                            inspectors: string[];
                            /** @description made on a complaint, outside the draw */
                            on_complaint: boolean;
                            outcome: string | null;
                            outcome_at: string | null;
                            overdue: boolean;
                            plan_id: number;
                            /** @description null until the outcome is entered, and again once its record no longer stands (removed on objection, withdrawn, repaired or archived) */
                            published_at: string | null;
                            target: {
                                kind: string;
                                name: string;
                                uscc: string;
                            };
                        }[];
                        outcome_days: number;
                        per_class: {
                            class: string;
                            drawn: number;
                            /** @description targets that could be drawn (red-listed ones left undisturbed) */
                            population: number;
                            ratio: number;
                            red_listed: number;
                        }[];
                        period: string;
                        policy_version: string;
                        regulator: string;
                        roster_hash: string;
                        /** @description to the public once every inspection of the plan is done */
                        seed: string | null;
                        seed_origin: string | null;
                        targets_hash: string;
                        unassigned: {
                            class: string;
                            reason: string;
                            target: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getInspectionsPlansById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        history_hash: string;
                        id: number;
                        /** @description every target for operators and auditors; an inspector its own; others only those done whose results stand */
                        inspections: {
                            class: string;
                            due_day: string;
                            id: number;
                            inspectors: string[];
                            /** @description made on a complaint, outside the draw */
                            on_complaint: boolean;
                            outcome: string | null;
                            outcome_at: string | null;
                            overdue: boolean;
                            plan_id: number;
                            /** @description null until the outcome is entered, and again once its record no longer stands (removed on objection, withdrawn, repaired or archived) */
                            published_at: string | null;
                            target: {
                                kind: string;
                                name: string;
                                uscc: string;
                            };
                        }[];
                        outcome_days: number;
                        per_class: {
                            class: string;
                            drawn: number;
                            /** @description targets that could be drawn (red-listed ones left undisturbed) */
                            population: number;
                            ratio: number;
                            red_listed: number;
                        }[];
                        period: string;
                        policy_version: string;
                        regulator: string;
                        roster_hash: string;
                        /** @description to the public once every inspection of the plan is done */
                        seed: string | null;
                        seed_origin: string | null;
                        targets_hash: string;
                        unassigned: {
                            class: string;
                            reason: string;
                            target: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postInspectionsPlansByIdComplaints: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    complaint: string;
                    /** @description USCC */
                    target: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        class: string;
                        complaint: string;
                        due_day: string;
                        id: number;
                        inspectors: string[];
                        /** @description made on a complaint, outside the draw */
                        on_complaint: boolean;
                        outcome: string | null;
                        outcome_at: string | null;
                        overdue: boolean;
                        plan_id: number;
                        /** @description null until the outcome is entered, and again once its record no longer stands (removed on objection, withdrawn, repaired or archived) */
                        published_at: string | null;
                        target: {
                            kind: string;
                            name: string;
                            uscc: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getInspectionsPlansByIdInputs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        last_inspectors: {
                            [key: string]: string[];
                        };
                        policy_version: string;
                        roster: {
                            conflicts: string[];
                            id: string;
                        }[];
                        seed: string;
                        targets: {
                            /** @enum {string} */
                            class: "A" | "B" | "C" | "D";
                            id: string;
                            red_listed: boolean;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getInspectionsPlansByIdVerify: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        differences: string[];
                        identical: boolean;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getInspectionsPublished: {
        parameters: {
            query?: {
                /** @description default 200 */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        inspections: {
                            class: string;
                            /** @description its record is under objection */
                            contested: boolean;
                            id: number;
                            inspected_on: string | null;
                            outcome: string | null;
                            plan_id: number;
                            published_at: string | null;
                            regulator: string;
                            target: {
                                kind: string;
                                name: string;
                                uscc: string;
                            };
                        }[];
                    };
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postInteractions: {
        parameters: {
            query?: {
                /** @description an operator: the source that served (or the body field `source`) */
                source?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the kind of service, e.g. "outpatient consultation"; kept for reviewers of held ratings, never shown with a rating to the one who served nor published. Naming a protected category (a diagnosis, a belief…) is refused, 400. */
                    service: string;
                    /** @description YYYY-MM-DD, the day the service took place */
                    service_date: string;
                    /** @description who served */
                    serving: {
                        id: string;
                        /**
                         * @description licence: a licensed person by licence number; organization or public_body: by USCC
                         * @enum {string}
                         */
                        kind: "licence" | "organization" | "public_body";
                        /** @description only when one number is held under several licence kinds */
                        licence_kind?: string;
                    };
                    source?: string;
                } | {
                    interactions: {
                        /** @description the kind of service, e.g. "outpatient consultation"; kept for reviewers of held ratings, never shown with a rating to the one who served nor published. Naming a protected category (a diagnosis, a belief…) is refused, 400. */
                        service: string;
                        /** @description YYYY-MM-DD, the day the service took place */
                        service_date: string;
                        /** @description who served */
                        serving: {
                            id: string;
                            /**
                             * @description licence: a licensed person by licence number; organization or public_body: by USCC
                             * @enum {string}
                             */
                            kind: "licence" | "organization" | "public_body";
                            /** @description only when one number is held under several licence kinds */
                            licence_kind?: string;
                        };
                    }[];
                    source?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        expires_at: string;
                        /** @description shown once: give it to the citizen served; kept only as its SHA-256 */
                        token: string;
                    } | {
                        tokens: {
                            expires_at: string;
                            /** @description shown once: give it to the citizen served; kept only as its SHA-256 */
                            token: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: {
                access_limit?: number;
                /** @description `next_page` of the access log’s page before */
                access_page?: string;
                /** @description `next_page` of the checks’ page before */
                checks_page?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        access_log: {
                            /** @description reads and writes of the file other than checks, newest first */
                            accesses: {
                                entries: {
                                    action: string;
                                    at: string;
                                    /** @description its leaf index in the audit log’s Merkle tree, to ask its inclusion proof by; null: not yet in the tree */
                                    leaf_index: number | null;
                                    purpose: string;
                                    role: string;
                                    /** @description the audit entry’s sequence number: the order it was written in (`next_page` cursors use it) */
                                    seq: number;
                                    what: string;
                                    /** @description a registered name, or You / Credence operator / Auditor */
                                    who: string;
                                    /** @enum {string} */
                                    who_kind: "you" | "operator" | "platform" | "auditor" | "source" | "relying_party" | "inspector" | "other";
                                }[];
                                /** @description pass as `access_page` for older entries */
                                next_page: string | null;
                            };
                            /** @description relying parties' checks, one line per relying party and day (the platform's TIME_ZONE), 31 days a page */
                            checks: {
                                groups: {
                                    applied: number;
                                    /** @description the IDs of these checks, newest first (at most 50): `GET /v1/checks/{check_id}` explains each; checks logged before IDs could be explained are counted but not listed */
                                    check_ids: string[];
                                    continued: boolean;
                                    count: number;
                                    /** @description YYYY-MM-DD */
                                    day: string;
                                    first_at: string;
                                    last_at: string;
                                    /** @description the leaf index in the Merkle tree of each of `seqs`, in order; null: not yet in the tree */
                                    leaf_indices: (number | null)[];
                                    measures: string[];
                                    purposes: string[];
                                    relying_party: string;
                                    /** @description the sequence numbers of the audit entries committing to them, newest first (at most 50) */
                                    seqs: number[];
                                    who: string;
                                }[];
                                /** @description pass as `checks_page` for earlier days */
                                next_page: string | null;
                            };
                        };
                        /** @description YYYY-MM-DD */
                        as_of: string;
                        /** @description an organization's representatives, or the organizations a person represents, with their days */
                        bindings: {
                            /** @description the bound person’s objection to it is open */
                            disputed: boolean;
                            /** @description null: since before the platform knew */
                            from: string | null;
                            /** @description the binding’s number: what the bound person’s objection names */
                            id: number;
                            /** @description the other side’s identifier; a person’s resident ID number is masked (birth month and day as ****) in an organization’s own file */
                            identifier: string;
                            name: string;
                            /** @description that objection */
                            objection_id: number | null;
                            role: string;
                            /** @description null: in force */
                            until: string | null;
                        }[];
                        licences: {
                            kind: string;
                            number: string;
                        }[];
                        lists: {
                            case_reference: string | null;
                            /** @description YYYY-MM-DD */
                            from: string;
                            in_force: boolean;
                            kind: string;
                            legal_basis: string;
                            list: string;
                            name: string;
                            note: string;
                            reason_code: string;
                            reason_records: number[];
                            status: string;
                            until: string | null;
                        }[];
                        /** @description rewards and restrictions that apply today, as a relying party’s check would answer */
                        measures: {
                            case_reference: string | null;
                            from: string | null;
                            /** @description a grade-triggered measure: in force while the grade holds */
                            grade: string | null;
                            kind: string;
                            legal_basis: string;
                            list: string | null;
                            measure: string;
                            name: string;
                            reason_code: string;
                            until: string | null;
                        }[];
                        /** @description the subject’s objections with their clocks */
                        objections?: unknown[];
                        records: {
                            amount: number | null;
                            /** @description the case or decision number the record cites */
                            case_reference: string | null;
                            /** @description the first day it no longer counts; null: it does not count */
                            counts_until: string | null;
                            decided_at: string | null;
                            disclosed_at: string | null;
                            domain: string | null;
                            /** @description earlier versions, oldest first */
                            history: {
                                amount: number | null;
                                case_reference: string | null;
                                /** @description what replaced it: correct, withdraw, dispute, objection_*, repair, archive */
                                change: string;
                                decided_at: string | null;
                                known_from: string;
                                note: string | null;
                                /** @description YYYY-MM-DD */
                                occurred_at: string;
                                reason: string | null;
                                replaced_at: string;
                                status: string;
                                type: string;
                                version: number;
                            }[];
                            id: number;
                            note: string | null;
                            /** @description YYYY-MM-DD */
                            occurred_at: string;
                            /** @description what it adds to the score today (0: not counted) */
                            points: number;
                            polarity: string | null;
                            recorded_at: string;
                            /** @description negative records only: when a repair application may be made (due-process policy) */
                            repair: {
                                /** @description null: the record cannot be repaired */
                                eligible_from: string | null;
                                reason: string;
                            } | null;
                            revised_at: string | null;
                            severity: string | null;
                            source: {
                                code: string;
                                name: string;
                            };
                            source_record_id: string;
                            status: string;
                            type: string;
                            /** @description the catalogue’s English name */
                            type_name: string;
                            version: number;
                        }[];
                        /** @description the subject’s repair applications with their clocks */
                        repairs?: unknown[];
                        score: {
                            /** @description YYYY-MM-DD */
                            as_of: string;
                            domains: {
                                [key: string]: number;
                            };
                            grade: string;
                            key_factors: {
                                advice: {
                                    amount?: number | null;
                                    case_reference?: string | null;
                                    /** @description perform: the record types that end the listing */
                                    cured_by?: string[];
                                    /** @description repair_from: the first day to apply; wait/keep: the day it stops counting */
                                    day?: string;
                                    /** @description object: the days an objection is decided within */
                                    days?: number;
                                    /** @enum {string} */
                                    kind: "perform" | "pay" | "repair_from" | "repair_now" | "irreparable" | "object" | "wait" | "keep" | "linked";
                                    organization?: string;
                                    source?: string;
                                    /** @description plain English; the report words it in the subject’s language */
                                    text: string;
                                }[];
                                /** @description YYYY-MM-DD */
                                date: string;
                                /** @description the grade it sets (`binds`: it decides the grade) or caps (the points give that grade or worse) */
                                grade: {
                                    binds: boolean;
                                    letter: string;
                                } | null;
                                /** @description set when it is a represented organization’s record */
                                organization: string | null;
                                points: number;
                                record_id: number;
                                text: string;
                                type: string;
                                type_name: string;
                            }[];
                            policy_version: string;
                            score: number;
                        };
                        subject: {
                            birth_date: string | null;
                            identifier: string;
                            kind: string;
                            name: string;
                            sex: string | null;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postMeBindingsByIdObjections: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    evidence?: {
                        attachments?: {
                            /** @description the file, base64 (RFC 4648) */
                            content_base64: string;
                            media_type: string;
                            name: string;
                        }[] | null;
                        text?: string | null;
                    } | null;
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        appeal: {
                            appealed_at: string;
                            decision: {
                                decided_at: string | null;
                                /** @description operators and auditors only */
                                decided_by?: string | null;
                                /** @enum {string} */
                                outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                                reasons: string | null;
                            } | null;
                            due: string | null;
                            reason: string | null;
                        } | null;
                        /** @description the last day to appeal the decision */
                        appeal_window_ends: string | null;
                        appealable: boolean;
                        /** @description the binding objected to, naming the objector as the bound person (null for a record) */
                        binding: {
                            id: number;
                            organization: {
                                identifier: string;
                                name: string;
                            };
                            recorded_at: string;
                            /** @description legal_representative, principal_responsible_person or actual_controller */
                            role: string;
                            role_name: string;
                            /** @description the registration authority; null: the registry import */
                            source: string | null;
                            /** @description null: since before the platform knew (from its recording day) */
                            valid_from: string | null;
                            /** @description the first day no longer bound; null: in force */
                            valid_until: string | null;
                            /** @description set when a decision removed it: it binds nowhere */
                            withdrawn_at: string | null;
                        } | null;
                        /** @description whether the record keeps counting (its type's rule), or the binding keeps binding (the due-process policy's bindings_while_disputed), while the objection is pending */
                        counts_while_pending: boolean;
                        decision: {
                            decided_at: string | null;
                            /** @description operators and auditors only */
                            decided_by?: string | null;
                            /** @enum {string} */
                            outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                            reasons: string | null;
                        } | null;
                        /** @description the day the decision is due (20 days from the filing, 15 for a court listing: due-process policy) */
                        due: string;
                        evidence: {
                            attachments: {
                                bytes: number;
                                media_type: string;
                                name: string;
                                sha256: string;
                            }[];
                            text: string | null;
                        };
                        filed_at: string;
                        id: number;
                        /**
                         * @description what the objection is about: a record, or a binding
                         * @enum {string}
                         */
                        kind: "record" | "binding";
                        /** @description the review (or the appeal) is past its due day */
                        overdue: boolean;
                        reason: string;
                        /** @description the record objected to (null for an objection to a binding) */
                        record: {
                            amount: number | null;
                            case_reference: string | null;
                            decided_at: string | null;
                            id: number;
                            occurred_at: string;
                            source: string;
                            source_record_id: string;
                            /** @description disputed while the objection is pending */
                            status: string;
                            type: string;
                            type_name: string;
                        } | null;
                        source_notice_due: string;
                        source_notice_overdue: boolean;
                        source_notified_at: string | null;
                        /** @enum {string} */
                        status: "pending" | "decided" | "appealed" | "appeal_decided";
                        subject: {
                            identifier: string;
                            name: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMeHistory: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description oldest first; the last point is today */
                        history: {
                            /** @description YYYY-MM-DD */
                            day: string;
                            grade: string;
                            score: number;
                        }[];
                        policy_version: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMeNotifications: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        notifications: {
                            created_at: string;
                            /** @description the day what it tells takes effect */
                            effective: string;
                            id: number;
                            /** @description what it is about: listing_warning, listing_effective, listing_extended, listing_shortened, listing_ended, listing_removed, objection.decided#<id>, … */
                            kind: string;
                            /** @description the list it is about, when it is about one */
                            list: string | null;
                            message: string;
                            /** @description when you first marked it read; null: unread */
                            read_at: string | null;
                            /** @description when it was withdrawn before it was sent to you, because what it said no longer stood (the listing removed, its end changed since, or the notice queued again with its present text); null: not withdrawn */
                            superseded_at: string | null;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postMeNotificationsByIdRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        /** @description the day what it tells takes effect */
                        effective: string;
                        id: number;
                        /** @description what it is about: listing_warning, listing_effective, listing_extended, listing_shortened, listing_ended, listing_removed, objection.decided#<id>, … */
                        kind: string;
                        /** @description the list it is about, when it is about one */
                        list: string | null;
                        message: string;
                        /** @description when you first marked it read; null: unread */
                        read_at: string | null;
                        /** @description when it was withdrawn before it was sent to you, because what it said no longer stood (the listing removed, its end changed since, or the notice queued again with its present text); null: not withdrawn */
                        superseded_at: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMeObjections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        objections: {
                            appeal: {
                                appealed_at: string;
                                decision: {
                                    decided_at: string | null;
                                    /** @description operators and auditors only */
                                    decided_by?: string | null;
                                    /** @enum {string} */
                                    outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                                    reasons: string | null;
                                } | null;
                                due: string | null;
                                reason: string | null;
                            } | null;
                            /** @description the last day to appeal the decision */
                            appeal_window_ends: string | null;
                            appealable: boolean;
                            /** @description the binding objected to, naming the objector as the bound person (null for a record) */
                            binding: {
                                id: number;
                                organization: {
                                    identifier: string;
                                    name: string;
                                };
                                recorded_at: string;
                                /** @description legal_representative, principal_responsible_person or actual_controller */
                                role: string;
                                role_name: string;
                                /** @description the registration authority; null: the registry import */
                                source: string | null;
                                /** @description null: since before the platform knew (from its recording day) */
                                valid_from: string | null;
                                /** @description the first day no longer bound; null: in force */
                                valid_until: string | null;
                                /** @description set when a decision removed it: it binds nowhere */
                                withdrawn_at: string | null;
                            } | null;
                            /** @description whether the record keeps counting (its type's rule), or the binding keeps binding (the due-process policy's bindings_while_disputed), while the objection is pending */
                            counts_while_pending: boolean;
                            decision: {
                                decided_at: string | null;
                                /** @description operators and auditors only */
                                decided_by?: string | null;
                                /** @enum {string} */
                                outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                                reasons: string | null;
                            } | null;
                            /** @description the day the decision is due (20 days from the filing, 15 for a court listing: due-process policy) */
                            due: string;
                            evidence: {
                                attachments: {
                                    bytes: number;
                                    media_type: string;
                                    name: string;
                                    sha256: string;
                                }[];
                                text: string | null;
                            };
                            filed_at: string;
                            id: number;
                            /**
                             * @description what the objection is about: a record, or a binding
                             * @enum {string}
                             */
                            kind: "record" | "binding";
                            /** @description the review (or the appeal) is past its due day */
                            overdue: boolean;
                            reason: string;
                            /** @description the record objected to (null for an objection to a binding) */
                            record: {
                                amount: number | null;
                                case_reference: string | null;
                                decided_at: string | null;
                                id: number;
                                occurred_at: string;
                                source: string;
                                source_record_id: string;
                                /** @description disputed while the objection is pending */
                                status: string;
                                type: string;
                                type_name: string;
                            } | null;
                            source_notice_due: string;
                            source_notice_overdue: boolean;
                            source_notified_at: string | null;
                            /** @enum {string} */
                            status: "pending" | "decided" | "appealed" | "appeal_decided";
                            subject: {
                                identifier: string;
                                name: string;
                            };
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postMeObjections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    evidence?: {
                        attachments?: {
                            /** @description the file, base64 (RFC 4648) */
                            content_base64: string;
                            media_type: string;
                            name: string;
                        }[] | null;
                        text?: string | null;
                    } | null;
                    reason: string;
                    record_id: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        appeal: {
                            appealed_at: string;
                            decision: {
                                decided_at: string | null;
                                /** @description operators and auditors only */
                                decided_by?: string | null;
                                /** @enum {string} */
                                outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                                reasons: string | null;
                            } | null;
                            due: string | null;
                            reason: string | null;
                        } | null;
                        /** @description the last day to appeal the decision */
                        appeal_window_ends: string | null;
                        appealable: boolean;
                        /** @description the binding objected to, naming the objector as the bound person (null for a record) */
                        binding: {
                            id: number;
                            organization: {
                                identifier: string;
                                name: string;
                            };
                            recorded_at: string;
                            /** @description legal_representative, principal_responsible_person or actual_controller */
                            role: string;
                            role_name: string;
                            /** @description the registration authority; null: the registry import */
                            source: string | null;
                            /** @description null: since before the platform knew (from its recording day) */
                            valid_from: string | null;
                            /** @description the first day no longer bound; null: in force */
                            valid_until: string | null;
                            /** @description set when a decision removed it: it binds nowhere */
                            withdrawn_at: string | null;
                        } | null;
                        /** @description whether the record keeps counting (its type's rule), or the binding keeps binding (the due-process policy's bindings_while_disputed), while the objection is pending */
                        counts_while_pending: boolean;
                        decision: {
                            decided_at: string | null;
                            /** @description operators and auditors only */
                            decided_by?: string | null;
                            /** @enum {string} */
                            outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                            reasons: string | null;
                        } | null;
                        /** @description the day the decision is due (20 days from the filing, 15 for a court listing: due-process policy) */
                        due: string;
                        evidence: {
                            attachments: {
                                bytes: number;
                                media_type: string;
                                name: string;
                                sha256: string;
                            }[];
                            text: string | null;
                        };
                        filed_at: string;
                        id: number;
                        /**
                         * @description what the objection is about: a record, or a binding
                         * @enum {string}
                         */
                        kind: "record" | "binding";
                        /** @description the review (or the appeal) is past its due day */
                        overdue: boolean;
                        reason: string;
                        /** @description the record objected to (null for an objection to a binding) */
                        record: {
                            amount: number | null;
                            case_reference: string | null;
                            decided_at: string | null;
                            id: number;
                            occurred_at: string;
                            source: string;
                            source_record_id: string;
                            /** @description disputed while the objection is pending */
                            status: string;
                            type: string;
                            type_name: string;
                        } | null;
                        source_notice_due: string;
                        source_notice_overdue: boolean;
                        source_notified_at: string | null;
                        /** @enum {string} */
                        status: "pending" | "decided" | "appealed" | "appeal_decided";
                        subject: {
                            identifier: string;
                            name: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postMeObjectionsByIdAppeal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        appeal: {
                            appealed_at: string;
                            decision: {
                                decided_at: string | null;
                                /** @description operators and auditors only */
                                decided_by?: string | null;
                                /** @enum {string} */
                                outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                                reasons: string | null;
                            } | null;
                            due: string | null;
                            reason: string | null;
                        } | null;
                        /** @description the last day to appeal the decision */
                        appeal_window_ends: string | null;
                        appealable: boolean;
                        /** @description the binding objected to, naming the objector as the bound person (null for a record) */
                        binding: {
                            id: number;
                            organization: {
                                identifier: string;
                                name: string;
                            };
                            recorded_at: string;
                            /** @description legal_representative, principal_responsible_person or actual_controller */
                            role: string;
                            role_name: string;
                            /** @description the registration authority; null: the registry import */
                            source: string | null;
                            /** @description null: since before the platform knew (from its recording day) */
                            valid_from: string | null;
                            /** @description the first day no longer bound; null: in force */
                            valid_until: string | null;
                            /** @description set when a decision removed it: it binds nowhere */
                            withdrawn_at: string | null;
                        } | null;
                        /** @description whether the record keeps counting (its type's rule), or the binding keeps binding (the due-process policy's bindings_while_disputed), while the objection is pending */
                        counts_while_pending: boolean;
                        decision: {
                            decided_at: string | null;
                            /** @description operators and auditors only */
                            decided_by?: string | null;
                            /** @enum {string} */
                            outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                            reasons: string | null;
                        } | null;
                        /** @description the day the decision is due (20 days from the filing, 15 for a court listing: due-process policy) */
                        due: string;
                        evidence: {
                            attachments: {
                                bytes: number;
                                media_type: string;
                                name: string;
                                sha256: string;
                            }[];
                            text: string | null;
                        };
                        filed_at: string;
                        id: number;
                        /**
                         * @description what the objection is about: a record, or a binding
                         * @enum {string}
                         */
                        kind: "record" | "binding";
                        /** @description the review (or the appeal) is past its due day */
                        overdue: boolean;
                        reason: string;
                        /** @description the record objected to (null for an objection to a binding) */
                        record: {
                            amount: number | null;
                            case_reference: string | null;
                            decided_at: string | null;
                            id: number;
                            occurred_at: string;
                            source: string;
                            source_record_id: string;
                            /** @description disputed while the objection is pending */
                            status: string;
                            type: string;
                            type_name: string;
                        } | null;
                        source_notice_due: string;
                        source_notice_overdue: boolean;
                        source_notified_at: string | null;
                        /** @enum {string} */
                        status: "pending" | "decided" | "appealed" | "appeal_decided";
                        subject: {
                            identifier: string;
                            name: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMeRatings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        comments: {
                            comment: string | null;
                            honesty: number;
                            professionalism: number;
                            /** @description to answer it or object to it */
                            rating_id: number;
                            replied_at: string | null;
                            reply: string | null;
                            /** @description YYYY-MM-DD, the Monday of the week (in the platform’s TIME_ZONE) in which the rating was given, never its day; shown once it is `reveal_after_days` old */
                            week: string;
                        }[];
                        /** @description comments held for review, once revealed */
                        held_comments: number;
                        honesty: {
                            /** @description 95 % confidence band of the mean */
                            band: {
                                high: number | null;
                                low: number | null;
                            } | null;
                            /** @description v/(v+m)·R + m/(v+m)·C (IMDb form); null below the minimum count */
                            bayesian: number | null;
                            /** @description counted ratings (held and removed ones excluded) */
                            count: number;
                            /** @description counted ratings per star, 1–5 */
                            distribution: {
                                [key: string]: number;
                            };
                            /** @description ratings held for review, not counted */
                            held: number;
                            /** @description weighted mean of counted ratings */
                            mean: number | null;
                            published: boolean;
                        };
                        min_count: number;
                        professionalism: {
                            /** @description 95 % confidence band of the mean */
                            band: {
                                high: number | null;
                                low: number | null;
                            } | null;
                            /** @description v/(v+m)·R + m/(v+m)·C (IMDb form); null below the minimum count */
                            bayesian: number | null;
                            /** @description counted ratings (held and removed ones excluded) */
                            count: number;
                            /** @description counted ratings per star, 1–5 */
                            distribution: {
                                [key: string]: number;
                            };
                            /** @description ratings held for review, not counted */
                            held: number;
                            /** @description weighted mean of counted ratings */
                            mean: number | null;
                            published: boolean;
                        };
                        /** @description days after it is given before a rating is shown: in the aggregates, and one by one (its week, stars and comment) */
                        reveal_after_days: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postMeRatingsByIdObjection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        held_window: number;
                        rating_id: number;
                        /** @enum {string} */
                        status: "pending";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postMeRatingsByIdReply: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    text: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rating_id: number;
                        replied_at: string;
                        reply: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMeRepairs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        repairs: {
                            applied_at: string;
                            /** @description the public credit commitment */
                            commitment: string;
                            decided_at: string | null;
                            decided_by?: string | null;
                            /** @description once accepted: the decision within 3 working days */
                            decision_due: string | null;
                            /** @description granted: list display stops at once, and within 3 working days at the latest */
                            display_stop_due: string | null;
                            /** @description the open step's due day (feedback, then decision) */
                            due: string | null;
                            evidence: {
                                attachments: {
                                    bytes: number;
                                    media_type: string;
                                    name: string;
                                    sha256: string;
                                }[];
                                text: string | null;
                            };
                            feedback: {
                                accepted: boolean;
                                at: string;
                                by?: string | null;
                                message: string | null;
                            } | null;
                            /** @description feedback within 10 working days (public holidays skipped) */
                            feedback_due: string;
                            id: number;
                            outcome: ("granted" | "refused") | null;
                            overdue: boolean;
                            reasons: string | null;
                            record: {
                                case_reference: string | null;
                                decided_at: string | null;
                                occurred_at: string;
                                source: string;
                                source_record_id: string;
                                /** @description repaired once granted; expired once archived */
                                status: string;
                                type: string;
                                type_name: string;
                            };
                            record_id: number;
                            /** @enum {string} */
                            status: "pending" | "accepted" | "rejected" | "granted" | "refused";
                            /** @description operators and auditors only */
                            subject?: {
                                identifier: string;
                                name: string;
                            };
                            working_days_left: number | null;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postMeRepairs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    commitment: string;
                    /** @description proof of performance: text, files or both; limits in policies/due-process.yaml (objections.evidence) */
                    evidence: {
                        attachments?: {
                            /** @description the file, base64 (RFC 4648) */
                            content_base64: string;
                            media_type: string;
                            name: string;
                        }[] | null;
                        text?: string | null;
                    };
                    record_id: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        applied_at: string;
                        /** @description the public credit commitment */
                        commitment: string;
                        decided_at: string | null;
                        decided_by?: string | null;
                        /** @description once accepted: the decision within 3 working days */
                        decision_due: string | null;
                        /** @description granted: list display stops at once, and within 3 working days at the latest */
                        display_stop_due: string | null;
                        /** @description the open step's due day (feedback, then decision) */
                        due: string | null;
                        evidence: {
                            attachments: {
                                bytes: number;
                                media_type: string;
                                name: string;
                                sha256: string;
                            }[];
                            text: string | null;
                        };
                        feedback: {
                            accepted: boolean;
                            at: string;
                            by?: string | null;
                            message: string | null;
                        } | null;
                        /** @description feedback within 10 working days (public holidays skipped) */
                        feedback_due: string;
                        id: number;
                        outcome: ("granted" | "refused") | null;
                        overdue: boolean;
                        reasons: string | null;
                        record: {
                            case_reference: string | null;
                            decided_at: string | null;
                            occurred_at: string;
                            source: string;
                            source_record_id: string;
                            /** @description repaired once granted; expired once archived */
                            status: string;
                            type: string;
                            type_name: string;
                        };
                        record_id: number;
                        /** @enum {string} */
                        status: "pending" | "accepted" | "rejected" | "granted" | "refused";
                        /** @description operators and auditors only */
                        subject?: {
                            identifier: string;
                            name: string;
                        };
                        working_days_left: number | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMeReport: {
        parameters: {
            query?: {
                access_limit?: number;
                /** @description `next_page` of the access log’s page before */
                access_page?: string;
                /** @description `next_page` of the checks’ page before */
                checks_page?: string;
                /** @description en, zh-CN, fr; else Accept-Language, else zh-CN */
                lang?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/html: a complete page with a print stylesheet (A4) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getObjections: {
        parameters: {
            query?: {
                /** @description the `next` cursor of the previous page */
                after?: string;
                /** @description default 50 */
                limit?: number;
                status?: "open" | "pending" | "decided" | "appealed" | "appeal_decided" | "all";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        next: string | null;
                        objections: {
                            appeal: {
                                appealed_at: string;
                                decision: {
                                    decided_at: string | null;
                                    /** @description operators and auditors only */
                                    decided_by?: string | null;
                                    /** @enum {string} */
                                    outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                                    reasons: string | null;
                                } | null;
                                due: string | null;
                                reason: string | null;
                            } | null;
                            /** @description the last day to appeal the decision */
                            appeal_window_ends: string | null;
                            appealable: boolean;
                            /** @description the binding objected to, naming the objector as the bound person (null for a record) */
                            binding: {
                                id: number;
                                organization: {
                                    identifier: string;
                                    name: string;
                                };
                                recorded_at: string;
                                /** @description legal_representative, principal_responsible_person or actual_controller */
                                role: string;
                                role_name: string;
                                /** @description the registration authority; null: the registry import */
                                source: string | null;
                                /** @description null: since before the platform knew (from its recording day) */
                                valid_from: string | null;
                                /** @description the first day no longer bound; null: in force */
                                valid_until: string | null;
                                /** @description set when a decision removed it: it binds nowhere */
                                withdrawn_at: string | null;
                            } | null;
                            /** @description whether the record keeps counting (its type's rule), or the binding keeps binding (the due-process policy's bindings_while_disputed), while the objection is pending */
                            counts_while_pending: boolean;
                            decision: {
                                decided_at: string | null;
                                /** @description operators and auditors only */
                                decided_by?: string | null;
                                /** @enum {string} */
                                outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                                reasons: string | null;
                            } | null;
                            /** @description the day the decision is due (20 days from the filing, 15 for a court listing: due-process policy) */
                            due: string;
                            evidence: {
                                attachments: {
                                    bytes: number;
                                    media_type: string;
                                    name: string;
                                    sha256: string;
                                }[];
                                text: string | null;
                            };
                            filed_at: string;
                            id: number;
                            /**
                             * @description what the objection is about: a record, or a binding
                             * @enum {string}
                             */
                            kind: "record" | "binding";
                            /** @description the review (or the appeal) is past its due day */
                            overdue: boolean;
                            reason: string;
                            /** @description the record objected to (null for an objection to a binding) */
                            record: {
                                amount: number | null;
                                case_reference: string | null;
                                decided_at: string | null;
                                id: number;
                                occurred_at: string;
                                source: string;
                                source_record_id: string;
                                /** @description disputed while the objection is pending */
                                status: string;
                                type: string;
                                type_name: string;
                            } | null;
                            source_notice_due: string;
                            source_notice_overdue: boolean;
                            source_notified_at: string | null;
                            /** @enum {string} */
                            status: "pending" | "decided" | "appealed" | "appeal_decided";
                            subject: {
                                identifier: string;
                                name: string;
                            };
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getObjectionsByIdAttachmentsByIndex: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
                index: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the file, with its media type */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postObjectionsByIdDecision: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    binding_correction?: {
                        /** @description YYYY-MM-DD: the first day bound */
                        valid_from?: string;
                        /** @description YYYY-MM-DD: the first day no longer bound */
                        valid_until?: string;
                    } | null;
                    correction?: {
                        amount?: number | null;
                        decided_at?: string | null;
                        disclosed_at?: string | null;
                        evidence?: string | null;
                        note?: string | null;
                        occurred_at?: string;
                        type?: string;
                    } | null;
                    /** @enum {string} */
                    outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                    reasons: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        appeal: {
                            appealed_at: string;
                            decision: {
                                decided_at: string | null;
                                /** @description operators and auditors only */
                                decided_by?: string | null;
                                /** @enum {string} */
                                outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                                reasons: string | null;
                            } | null;
                            due: string | null;
                            reason: string | null;
                        } | null;
                        /** @description the last day to appeal the decision */
                        appeal_window_ends: string | null;
                        appealable: boolean;
                        /** @description the binding objected to, naming the objector as the bound person (null for a record) */
                        binding: {
                            id: number;
                            organization: {
                                identifier: string;
                                name: string;
                            };
                            recorded_at: string;
                            /** @description legal_representative, principal_responsible_person or actual_controller */
                            role: string;
                            role_name: string;
                            /** @description the registration authority; null: the registry import */
                            source: string | null;
                            /** @description null: since before the platform knew (from its recording day) */
                            valid_from: string | null;
                            /** @description the first day no longer bound; null: in force */
                            valid_until: string | null;
                            /** @description set when a decision removed it: it binds nowhere */
                            withdrawn_at: string | null;
                        } | null;
                        /** @description whether the record keeps counting (its type's rule), or the binding keeps binding (the due-process policy's bindings_while_disputed), while the objection is pending */
                        counts_while_pending: boolean;
                        decision: {
                            decided_at: string | null;
                            /** @description operators and auditors only */
                            decided_by?: string | null;
                            /** @enum {string} */
                            outcome: "record_confirmed" | "record_corrected" | "record_removed" | "binding_confirmed" | "binding_corrected" | "binding_removed";
                            reasons: string | null;
                        } | null;
                        /** @description the day the decision is due (20 days from the filing, 15 for a court listing: due-process policy) */
                        due: string;
                        evidence: {
                            attachments: {
                                bytes: number;
                                media_type: string;
                                name: string;
                                sha256: string;
                            }[];
                            text: string | null;
                        };
                        filed_at: string;
                        id: number;
                        /**
                         * @description what the objection is about: a record, or a binding
                         * @enum {string}
                         */
                        kind: "record" | "binding";
                        /** @description the review (or the appeal) is past its due day */
                        overdue: boolean;
                        reason: string;
                        /** @description the record objected to (null for an objection to a binding) */
                        record: {
                            amount: number | null;
                            case_reference: string | null;
                            decided_at: string | null;
                            id: number;
                            occurred_at: string;
                            source: string;
                            source_record_id: string;
                            /** @description disputed while the objection is pending */
                            status: string;
                            type: string;
                            type_name: string;
                        } | null;
                        source_notice_due: string;
                        source_notice_overdue: boolean;
                        source_notified_at: string | null;
                        /** @enum {string} */
                        status: "pending" | "decided" | "appealed" | "appeal_decided";
                        subject: {
                            identifier: string;
                            name: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOutbox: {
        parameters: {
            query?: {
                /** @description default 10 */
                problems?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        dead: number;
                        failed: number;
                        problems: {
                            attempts: number;
                            dead_at: string | null;
                            id: number;
                            last_error: string | null;
                            next_attempt_at: string | null;
                            notification_id: number;
                        }[];
                        queued: number;
                        sent: number;
                        superseded: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postOutboxRequeue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    all_dead?: boolean;
                    ids?: number[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requeued: number[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPublicLists: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        lists: {
                            code: string;
                            /** @description entries in force it publishes */
                            in_force: number;
                            /** @enum {string} */
                            kind: "black" | "red";
                            legal_basis: string;
                            name: string;
                            publishes_persons: boolean;
                            /** @description the kinds of subject it publishes */
                            subject_kinds: string[];
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPublicListsByCode: {
        parameters: {
            query?: {
                /** @description default 20 */
                limit?: number;
                /** @description default 1 */
                page?: number;
            };
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: ({
                            /** @description who decided it: the source of its first record */
                            authority: string | null;
                            case_reference: string | null;
                            contested: boolean;
                            from: string;
                            reason_code: string;
                            subject: {
                                identifier: string;
                                /** @enum {string} */
                                kind: "organization" | "public_body";
                                masked_id: null;
                                name: string;
                            };
                            until: string | null;
                        } | {
                            /** @description the court that decided it */
                            authority: string | null;
                            case_reference: string | null;
                            from: string;
                            reason_code: string;
                            subject: {
                                identifier: null;
                                /** @enum {string} */
                                kind: "person";
                                /** @description as the court publishes it: birth month and day masked */
                                masked_id: string;
                                name: string;
                            };
                        })[];
                        limit: number;
                        list: {
                            code: string;
                            /** @description entries in force it publishes */
                            in_force: number;
                            /** @enum {string} */
                            kind: "black" | "red";
                            legal_basis: string;
                            name: string;
                            publishes_persons: boolean;
                            /** @description the kinds of subject it publishes */
                            subject_kinds: string[];
                        };
                        next_page: number | null;
                        page: number;
                        total: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPublicOrganizationsByIdentifier: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                identifier: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        grade: string | null;
                        identifier: string;
                        /** @description the results published, while their records stand: one whose record was removed on objection, withdrawn, repaired or archived is no longer shown */
                        inspections: {
                            /** @description its risk class when drawn */
                            class: string;
                            /** @description its record is under objection */
                            contested: boolean;
                            id: number;
                            inspected_on: string | null;
                            outcome: string | null;
                            published_at: string | null;
                            regulator: string;
                        }[];
                        /** @description at most four records behind the grade, largest effect first (none: the default grade) */
                        key_factors: {
                            /** @description the record is under objection */
                            contested: boolean;
                            /** @description the day of the act or decision */
                            date: string;
                            /** @description the grade it sets directly, when it sets one */
                            direct_grade: string | null;
                            /** @description its points in the score (negative: deducted) */
                            points: number;
                            /** @description one plain sentence */
                            text: string;
                            type: string;
                            type_name: string;
                            /** @description the first day it no longer counts */
                            until: string | null;
                        }[];
                        /** @enum {string} */
                        kind: "organization" | "public_body";
                        lists: {
                            case_reference: string | null;
                            /** @description a record behind it is under objection */
                            contested: boolean;
                            from: string;
                            /** @enum {string} */
                            kind: "black" | "red" | "focus";
                            legal_basis: string;
                            /** @description the list code */
                            list: string;
                            /** @description the list name */
                            name: string;
                            /** @description why, in one sentence */
                            reason: string;
                            reason_code: string;
                            /** @description null: until a deletion condition is met */
                            until: string | null;
                        }[];
                        name: string;
                        ratings: {
                            comments: {
                                comment: string | null;
                                honesty: number;
                                professionalism: number;
                                replied_at: string | null;
                                reply: string | null;
                                /** @description YYYY-MM-DD, the Monday of the week (TIME_ZONE) in which the rating was given, never its day */
                                week: string;
                            }[];
                            honesty: {
                                band: {
                                    high: number | null;
                                    low: number | null;
                                } | null;
                                bayesian: number | null;
                                count: number;
                                distribution: {
                                    [key: string]: number;
                                };
                                held: number;
                                mean: number | null;
                                published: boolean;
                            };
                            min_count: number;
                            professionalism: {
                                band: {
                                    high: number | null;
                                    low: number | null;
                                } | null;
                                bayesian: number | null;
                                count: number;
                                distribution: {
                                    [key: string]: number;
                                };
                                held: number;
                                mean: number | null;
                                published: boolean;
                            };
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPublicSearch: {
        parameters: {
            query: {
                /** @description default 20 */
                limit?: number;
                /** @description 1–100 characters */
                q: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** @description null: never scored */
                            grade: string | null;
                            /** @description Unified Social Credit Code */
                            identifier: string;
                            /** @enum {string} */
                            kind: "organization" | "public_body";
                            /** @description entries in force on the black and red lists */
                            lists_in_force: number;
                            /**
                             * @description its code, the start of its name, or inside its name (the order of the results)
                             * @enum {string}
                             */
                            match: "code" | "prefix" | "contains";
                            name: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRatings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    comment?: string | null;
                    /** @description 1–5 */
                    honesty: number;
                    /** @description 1–5 */
                    professionalism: number;
                    token: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        comment_status: "none" | "published" | "held";
                        id: number;
                        rated: {
                            kind: string;
                            name: string;
                        };
                        /** @enum {string} */
                        status: "published" | "held";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRatingsBySubject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subject: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        comments: {
                            comment: string | null;
                            honesty: number;
                            professionalism: number;
                            replied_at: string | null;
                            reply: string | null;
                            /** @description YYYY-MM-DD, the Monday of the week (in the platform’s TIME_ZONE) in which the rating was given, never its day; shown once it is `reveal_after_days` old */
                            week: string;
                        }[];
                        honesty: {
                            /** @description 95 % confidence band of the mean */
                            band: {
                                high: number | null;
                                low: number | null;
                            } | null;
                            /** @description v/(v+m)·R + m/(v+m)·C (IMDb form); null below the minimum count */
                            bayesian: number | null;
                            /** @description counted ratings (held and removed ones excluded) */
                            count: number;
                            /** @description counted ratings per star, 1–5 */
                            distribution: {
                                [key: string]: number;
                            };
                            /** @description ratings held for review, not counted */
                            held: number;
                            /** @description weighted mean of counted ratings */
                            mean: number | null;
                            published: boolean;
                        };
                        min_count: number;
                        professionalism: {
                            /** @description 95 % confidence band of the mean */
                            band: {
                                high: number | null;
                                low: number | null;
                            } | null;
                            /** @description v/(v+m)·R + m/(v+m)·C (IMDb form); null below the minimum count */
                            bayesian: number | null;
                            /** @description counted ratings (held and removed ones excluded) */
                            count: number;
                            /** @description counted ratings per star, 1–5 */
                            distribution: {
                                [key: string]: number;
                            };
                            /** @description ratings held for review, not counted */
                            held: number;
                            /** @description weighted mean of counted ratings */
                            mean: number | null;
                            published: boolean;
                        };
                        /** @description days after it is given before a rating is shown: in the aggregates, and one by one (its week, stars and comment) */
                        reveal_after_days: number;
                        subject: {
                            kind: string;
                            licence?: {
                                kind: string;
                                number: string;
                            };
                            name: string;
                            uscc?: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRatingsHeld: {
        parameters: {
            query?: {
                /** @description the `next_before` of the previous page */
                before?: number;
                /** @description default 50 */
                limit?: number;
                status?: "pending" | "confirmed" | "released" | "all";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        holds: {
                            created_at: string;
                            decided_at: string | null;
                            decided_by: string | null;
                            decision_reason: string | null;
                            detail: {
                                [key: string]: unknown;
                            };
                            /** @description whether its ratings stop counting while it is pending (an objection does not) */
                            hides: boolean;
                            id: number;
                            ratings: number;
                            reason: string;
                            reason_text: string;
                            /** @enum {string} */
                            status: "pending" | "confirmed" | "released";
                            subject: {
                                identifier: string;
                                name: string | null;
                            } | null;
                            window: {
                                from: string;
                                to: string;
                            };
                        }[];
                        next_before: number | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRatingsHeldById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        decided_at: string | null;
                        decided_by: string | null;
                        decision_reason: string | null;
                        detail: {
                            [key: string]: unknown;
                        };
                        /** @description whether its ratings stop counting while it is pending (an objection does not) */
                        hides: boolean;
                        id: number;
                        items: {
                            comment: string | null;
                            comment_status: string;
                            connected: boolean;
                            honesty: number;
                            id: number;
                            professionalism: number;
                            /** @description a pseudonym valid within this window */
                            rater: string;
                            service: string;
                            service_date: string;
                            submitted_at: string;
                        }[];
                        ratings: number;
                        reason: string;
                        reason_text: string;
                        /** @enum {string} */
                        status: "pending" | "confirmed" | "released";
                        subject: {
                            identifier: string;
                            name: string | null;
                        } | null;
                        window: {
                            from: string;
                            to: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRatingsHeldByIdDecision: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    decision: "confirm" | "release";
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        decided_at: string | null;
                        decided_by: string | null;
                        decision_reason: string | null;
                        detail: {
                            [key: string]: unknown;
                        };
                        /** @description whether its ratings stop counting while it is pending (an objection does not) */
                        hides: boolean;
                        id: number;
                        ratings: number;
                        reason: string;
                        reason_text: string;
                        /** @enum {string} */
                        status: "pending" | "confirmed" | "released";
                        subject: {
                            identifier: string;
                            name: string | null;
                        } | null;
                        window: {
                            from: string;
                            to: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRatingsSweep: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        holds: {
                            by_reason: {
                                [key: string]: number;
                            };
                            opened_or_extended: number;
                        };
                        ratings: number;
                        records: {
                            duplicates: number;
                            period: {
                                from: string;
                                to: string;
                            };
                            rejected: number;
                            stored: number;
                        };
                        subjects: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRecords: {
        parameters: {
            query?: {
                source?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordLineInput"][] | {
                    records: components["schemas"]["RecordLineInput"][];
                } | string;
                "application/x-ndjson": components["schemas"]["RecordLineInput"][] | {
                    records: components["schemas"]["RecordLineInput"][];
                } | string;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accepted: number;
                        /** @description records sent before, replaced by a line with "action": "correct" */
                        corrected: number;
                        duplicates: number;
                        rejected: number;
                        results: {
                            field?: string;
                            /** @description 1-based position in the batch (NDJSON: the line) */
                            line: number;
                            reason?: string;
                            record_id?: number;
                            /** @enum {string} */
                            status: "stored" | "duplicate" | "corrected" | "withdrawn" | "rejected";
                        }[];
                        /** @description records sent before, withdrawn by a line with "action": "withdraw" */
                        withdrawn: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRelyingParties: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        relying_parties: {
                            code: string;
                            daily_quota: number;
                            kind: string;
                            legal_basis: string;
                            measures: string[];
                            name: string;
                            purposes: string[];
                            /** @description checks made today (the platform's TIME_ZONE day), as its daily quota counts them; new at midnight there */
                            used_today: number;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRelyingParties: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                    /** @description checks a day (default 100,000) */
                    daily_quota?: number;
                    kind: string;
                    legal_basis?: string;
                    measures?: string[];
                    name?: string;
                    /** @description why it checks, lower-case snake_case (e.g. ticket_sale); each check names one */
                    purposes: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        relying_party: {
                            code: string;
                            daily_quota: number;
                            kind: string;
                            legal_basis: string;
                            measures: string[];
                            name: string;
                            purposes: string[];
                        };
                        token: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putRelyingPartiesByCodePurposes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    purposes: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        relying_party: {
                            code: string;
                            daily_quota: number;
                            kind: string;
                            legal_basis: string;
                            measures: string[];
                            name: string;
                            purposes: string[];
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRepairs: {
        parameters: {
            query?: {
                /** @description the `next` cursor of the previous page */
                after?: string;
                /** @description default 50 */
                limit?: number;
                status?: "open" | "pending" | "accepted" | "rejected" | "granted" | "refused" | "all";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        next: string | null;
                        repairs: {
                            applied_at: string;
                            /** @description the public credit commitment */
                            commitment: string;
                            decided_at: string | null;
                            decided_by?: string | null;
                            /** @description once accepted: the decision within 3 working days */
                            decision_due: string | null;
                            /** @description granted: list display stops at once, and within 3 working days at the latest */
                            display_stop_due: string | null;
                            /** @description the open step's due day (feedback, then decision) */
                            due: string | null;
                            evidence: {
                                attachments: {
                                    bytes: number;
                                    media_type: string;
                                    name: string;
                                    sha256: string;
                                }[];
                                text: string | null;
                            };
                            feedback: {
                                accepted: boolean;
                                at: string;
                                by?: string | null;
                                message: string | null;
                            } | null;
                            /** @description feedback within 10 working days (public holidays skipped) */
                            feedback_due: string;
                            id: number;
                            outcome: ("granted" | "refused") | null;
                            overdue: boolean;
                            reasons: string | null;
                            record: {
                                case_reference: string | null;
                                decided_at: string | null;
                                occurred_at: string;
                                source: string;
                                source_record_id: string;
                                /** @description repaired once granted; expired once archived */
                                status: string;
                                type: string;
                                type_name: string;
                            };
                            record_id: number;
                            /** @enum {string} */
                            status: "pending" | "accepted" | "rejected" | "granted" | "refused";
                            /** @description operators and auditors only */
                            subject?: {
                                identifier: string;
                                name: string;
                            };
                            working_days_left: number | null;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRepairsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        applied_at: string;
                        /** @description the public credit commitment */
                        commitment: string;
                        decided_at: string | null;
                        decided_by?: string | null;
                        /** @description once accepted: the decision within 3 working days */
                        decision_due: string | null;
                        /** @description granted: list display stops at once, and within 3 working days at the latest */
                        display_stop_due: string | null;
                        /** @description the open step's due day (feedback, then decision) */
                        due: string | null;
                        evidence: {
                            attachments: {
                                bytes: number;
                                media_type: string;
                                name: string;
                                sha256: string;
                            }[];
                            text: string | null;
                        };
                        feedback: {
                            accepted: boolean;
                            at: string;
                            by?: string | null;
                            message: string | null;
                        } | null;
                        /** @description feedback within 10 working days (public holidays skipped) */
                        feedback_due: string;
                        id: number;
                        outcome: ("granted" | "refused") | null;
                        overdue: boolean;
                        reasons: string | null;
                        record: {
                            case_reference: string | null;
                            decided_at: string | null;
                            occurred_at: string;
                            source: string;
                            source_record_id: string;
                            /** @description repaired once granted; expired once archived */
                            status: string;
                            type: string;
                            type_name: string;
                        };
                        record_id: number;
                        /** @enum {string} */
                        status: "pending" | "accepted" | "rejected" | "granted" | "refused";
                        /** @description operators and auditors only */
                        subject?: {
                            identifier: string;
                            name: string;
                        };
                        working_days_left: number | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRepairsByIdAttachmentsByN: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
                n: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown, revoked or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRepairsByIdDecision: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    outcome: "granted" | "refused";
                    reasons: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        applied_at: string;
                        /** @description the public credit commitment */
                        commitment: string;
                        decided_at: string | null;
                        decided_by?: string | null;
                        /** @description once accepted: the decision within 3 working days */
                        decision_due: string | null;
                        /** @description granted: list display stops at once, and within 3 working days at the latest */
                        display_stop_due: string | null;
                        /** @description the open step's due day (feedback, then decision) */
                        due: string | null;
                        evidence: {
                            attachments: {
                                bytes: number;
                                media_type: string;
                                name: string;
                                sha256: string;
                            }[];
                            text: string | null;
                        };
                        feedback: {
                            accepted: boolean;
                            at: string;
                            by?: string | null;
                            message: string | null;
                        } | null;
                        /** @description feedback within 10 working days (public holidays skipped) */
                        feedback_due: string;
                        id: number;
                        outcome: ("granted" | "refused") | null;
                        overdue: boolean;
                        reasons: string | null;
                        record: {
                            case_reference: string | null;
                            decided_at: string | null;
                            occurred_at: string;
                            source: string;
                            source_record_id: string;
                            /** @description repaired once granted; expired once archived */
                            status: string;
                            type: string;
                            type_name: string;
                        };
                        record_id: number;
                        /** @enum {string} */
                        status: "pending" | "accepted" | "rejected" | "granted" | "refused";
                        /** @description operators and auditors only */
                        subject?: {
                            identifier: string;
                            name: string;
                        };
                        working_days_left: number | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRepairsByIdFeedback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    accepted: boolean;
                    message: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        applied_at: string;
                        /** @description the public credit commitment */
                        commitment: string;
                        decided_at: string | null;
                        decided_by?: string | null;
                        /** @description once accepted: the decision within 3 working days */
                        decision_due: string | null;
                        /** @description granted: list display stops at once, and within 3 working days at the latest */
                        display_stop_due: string | null;
                        /** @description the open step's due day (feedback, then decision) */
                        due: string | null;
                        evidence: {
                            attachments: {
                                bytes: number;
                                media_type: string;
                                name: string;
                                sha256: string;
                            }[];
                            text: string | null;
                        };
                        feedback: {
                            accepted: boolean;
                            at: string;
                            by?: string | null;
                            message: string | null;
                        } | null;
                        /** @description feedback within 10 working days (public holidays skipped) */
                        feedback_due: string;
                        id: number;
                        outcome: ("granted" | "refused") | null;
                        overdue: boolean;
                        reasons: string | null;
                        record: {
                            case_reference: string | null;
                            decided_at: string | null;
                            occurred_at: string;
                            source: string;
                            source_record_id: string;
                            /** @description repaired once granted; expired once archived */
                            status: string;
                            type: string;
                            type_name: string;
                        };
                        record_id: number;
                        /** @enum {string} */
                        status: "pending" | "accepted" | "rejected" | "granted" | "refused";
                        /** @description operators and auditors only */
                        subject?: {
                            identifier: string;
                            name: string;
                        };
                        working_days_left: number | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        role: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSources: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        sources: components["schemas"]["SourceWithUsage"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSources: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description 2–64 lower-case letters, digits, "-" or "_" */
                    code: string;
                    /** @description services a day, 1–1000000: a day's interaction tokens beyond the ratings policy's volume_factor times this are held for review */
                    daily_service_volume?: number;
                    /** @enum {string} */
                    kind: "court" | "police" | "tax" | "bank" | "employer" | "market_regulator" | "ecommerce" | "telecom" | "social_platform" | "local_government" | "hospital" | "school";
                    legal_basis?: string;
                    name?: string;
                    /** @description the USCC of the organization or public body the source is: an own-name source (hospital, school, employer, bank, telecom, local government service hall) vouches only for it and its roster */
                    organization?: string;
                    /** @description defaults to every type the catalogue allows this kind */
                    types?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        credential: string;
                        source: components["schemas"]["Source"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchSourcesByCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    daily_service_volume?: number | null;
                    organization?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        source: components["schemas"]["Source"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSourcesByCodeCredential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        credential: string;
                        source: components["schemas"]["Source"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSourcesByCodeRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        source: components["schemas"]["Source"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSourcesByCodeStaff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        staff: components["schemas"]["StaffEntry"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSourcesByCodeStaff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the first day on the roster, YYYY-MM-DD */
                    from: string;
                    /** @description a licensed professional, by licence number */
                    licence?: string;
                    /** @description only when the number is held under several kinds */
                    licence_kind?: string;
                    /** @description anyone else who serves under it, by resident ID number */
                    person?: string;
                    /** @description the post held, e.g. "attending physician" */
                    position?: string;
                    /** @description the first day no longer on it; absent: open-ended */
                    until?: string | null;
                } | {
                    staff: {
                        /** @description the first day on the roster, YYYY-MM-DD */
                        from: string;
                        /** @description a licensed professional, by licence number */
                        licence?: string;
                        /** @description only when the number is held under several kinds */
                        licence_kind?: string;
                        /** @description anyone else who serves under it, by resident ID number */
                        person?: string;
                        /** @description the post held, e.g. "attending physician" */
                        position?: string;
                        /** @description the first day no longer on it; absent: open-ended */
                        until?: string | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        staff: components["schemas"]["StaffEntry"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSourcesByCodeStaffRemove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    licence?: string;
                    licence_kind?: string;
                    person?: string;
                    /** @description the first day no longer on the roster, YYYY-MM-DD (exclusive); default tomorrow, so today's services can still be vouched for */
                    until?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        staff: components["schemas"]["StaffEntry"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audit_entries: number;
                        records: number;
                        sources: number;
                        subjects: {
                            organization: number;
                            person: number;
                            public_body: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSubjectsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description resident ID number or Unified Social Credit Code */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description who read or wrote this file and why, newest first; shown to the subject, operators and auditors */
                        access_log?: {
                            action: string;
                            actor: string;
                            at: string;
                            /** @description its leaf index in the audit log’s Merkle tree, to ask its inclusion proof by; null: not yet in the tree */
                            leaf_index: number | null;
                            purpose: string;
                            role: string;
                            /** @description the audit entry’s sequence number: the order it was written in */
                            seq: number;
                        }[];
                        /** @description every binding with the days it held (from null: since before the platform knew; until null: in force): an organization's representatives, or the organizations a person represents */
                        bindings: {
                            /** @description the bound person’s objection to it is open */
                            disputed: boolean;
                            /** @description null: since before the platform knew */
                            from: string | null;
                            /** @description the binding’s number: what the bound person’s objection names */
                            id: number;
                            /** @description the other side’s identifier; a person’s resident ID number is masked (birth month and day as ****) in an organization’s own file */
                            identifier: string;
                            name: string;
                            /** @description that objection */
                            objection_id: number | null;
                            role: string;
                            /** @description null: in force */
                            until: string | null;
                        }[];
                        /** @description resident ID number masked (birth month and day as ****) when the organization reads its own file */
                        legal_representative: {
                            identifier: string;
                            name: string;
                        } | null;
                        licences: {
                            kind: string;
                            number: string;
                        }[];
                        lists: {
                            from: string;
                            list: string;
                            note: string;
                            reason_code: string;
                            reason_records: number[];
                            status: string;
                            until: string | null;
                        }[];
                        notifications: {
                            effective: string;
                            kind: string;
                            list: string | null;
                            message: string;
                        }[];
                        records: {
                            amount: number | null;
                            decided_at: string | null;
                            disclosed_at: string | null;
                            evidence: string | null;
                            id: number;
                            note: string | null;
                            occurred_at: string;
                            recorded_at: string;
                            source: string;
                            source_record_id: string;
                            status: string;
                            type: string;
                            type_name: string;
                        }[];
                        /** @description the latest score kept under the policy in force; `GET /v1/subjects/{id}/score` explains it */
                        score: {
                            as_of: string;
                            grade: string;
                            key_factors: {
                                date: string;
                                points: number;
                                record_id: number;
                                type: string;
                            }[];
                            policy_version: string;
                            score: number;
                        } | null;
                        subject: {
                            birth_date: string | null;
                            identifier: string;
                            kind: string;
                            name: string;
                            sex: string | null;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSubjectsByIdReport: {
        parameters: {
            query?: {
                access_limit?: number;
                /** @description `next_page` of the access log’s page before */
                access_page?: string;
                /** @description `next_page` of the checks’ page before */
                checks_page?: string;
                /** @description en, zh-CN, fr; else Accept-Language, else zh-CN */
                lang?: string;
            };
            header?: never;
            path: {
                /** @description resident ID number or Unified Social Credit Code */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/html: a complete page with a print stylesheet (A4) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSubjectsByIdScore: {
        parameters: {
            query?: {
                /** @description YYYY-MM-DD (default today) */
                as_of?: string;
            };
            header?: never;
            path: {
                /** @description resident ID number or Unified Social Credit Code */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        as_of: string;
                        base: number;
                        /** @description in force on the as-of day: an organization's representatives, or whom a person represents */
                        bindings: {
                            /** @description the bound person’s objection to it is open */
                            disputed: boolean;
                            /** @description null: since before the platform knew */
                            from: string | null;
                            /** @description the binding’s number: what the bound person’s objection names */
                            id: number;
                            /** @description the other side’s identifier; a person’s resident ID number is masked (birth month and day as ****) in an organization’s own file */
                            identifier: string;
                            name: string;
                            /** @description that objection */
                            objection_id: number | null;
                            role: string;
                            /** @description null: in force */
                            until: string | null;
                        }[];
                        breakdown: {
                            date: string;
                            direct_grade?: string;
                            domain: string;
                            note?: string;
                            points: number;
                            record_id: number;
                            type: string;
                            until: string;
                        }[];
                        domains: {
                            [key: string]: number;
                        };
                        grade: string;
                        history: {
                            as_of: string;
                            grade: string;
                            score: number;
                        }[];
                        key_factors: {
                            date: string;
                            /** @description the grade it sets (`binds`: it decides the grade) or caps (the points give that grade or worse) */
                            grade?: {
                                binds: boolean;
                                letter: string;
                            };
                            points: number;
                            record_id: number;
                            text: string;
                            type: string;
                        }[];
                        kind: string;
                        name: string;
                        policy_version: string;
                        score: number;
                        subject: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tokens: {
                            created_at: string;
                            /** @description refused from this instant unless renewed */
                            expires_at: string;
                            id: number;
                            label: string;
                            principal: string;
                            revoked_at: string | null;
                            role: string;
                            /** @description permission names it is limited to; empty: all its role may do */
                            scope: string[];
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description days it lives (default 90); renew it before it expires */
                    days?: number;
                    label: string;
                    /** @description whom it stands for: a source's code (source), a relying party's code (relying_party), a subject's identifier (subject), a person's resident ID number (rater), an inspector on a roster (inspector); operators and auditors take none */
                    ref?: string;
                    /** @enum {string} */
                    role: "operator" | "source" | "relying_party" | "subject" | "rater" | "inspector" | "auditor";
                    /** @description permission names the token is limited to, each held by its role; none: all its role may do */
                    scope?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        expires_at: string;
                        id: number;
                        label: string;
                        principal: string;
                        role: string;
                        scope: string[];
                        token: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokensByIdRenew: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description days from now it lives (default 90) */
                    days?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        /** @description refused from this instant unless renewed */
                        expires_at: string;
                        id: number;
                        label: string;
                        principal: string;
                        revoked_at: string | null;
                        role: string;
                        /** @description permission names it is limited to; empty: all its role may do */
                        scope: string[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokensByIdRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        /** @description refused from this instant unless renewed */
                        expires_at: string;
                        id: number;
                        label: string;
                        principal: string;
                        revoked_at: string | null;
                        role: string;
                        /** @description permission names it is limited to; empty: all its role may do */
                        scope: string[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than this operation takes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A part of the path is longer than the API takes */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is of a media type this operation does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: past a rate limit; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
