using System.Globalization;
using static Publisher.Contracts.HttpContract;

namespace Publisher.Contracts.ApiDocs;

/// <summary>The operations a problem type can answer, for the OpenAPI document's responses.</summary>
[Flags]
public enum ProblemScope
{
    /// <summary>No described operation (unknown routes and methods).</summary>
    None = 0,

    /// <summary><c>POST /topics</c>, <c>POST /topics/{topicName}</c> and <c>POST /batch</c>.</summary>
    Publish = 1,

    /// <summary><c>GET /verify</c>.</summary>
    VerifyGet = 2,

    /// <summary><c>POST /verify</c>.</summary>
    VerifyPost = 4,

    /// <summary>Every authenticated operation.</summary>
    All = Publish | VerifyGet | VerifyPost,
}

/// <summary>One problem type's documentation: what it means and what the caller should do.</summary>
/// <param name="Slug">The last segment of its <c>type</c> URI (<see cref="HttpContract.ProblemTypes"/>).</param>
/// <param name="Title">Its name in the documentation.</param>
/// <param name="Statuses">The HTTP statuses it comes with.</param>
/// <param name="Scope">The operations that can answer it.</param>
/// <param name="RetryAfter">True when its responses carry <c>Retry-After</c>.</param>
/// <param name="Meaning">What happened, in a few sentences (backticks mark code).</param>
/// <param name="WhatToDo">What the caller should do about it (backticks mark code).</param>
public sealed record ProblemEntry(
    string Slug, string Title, IReadOnlyList<int> Statuses, ProblemScope Scope, bool RetryAfter, string Meaning, string WhatToDo);

/// <summary>
/// Every problem type the API answers with, documented once: the OpenAPI document, <c>docs/problems.md</c>, the
/// local runner's and the stack's <c>/problems/{slug}</c> pages are all rendered from here.
/// </summary>
public static class ProblemCatalog
{
    private static readonly string Routes = "`POST /topics`, `POST /topics/{topicName}`, `POST /batch`, `GET` and `POST /verify`";

    /// <summary>The entries, in the order the documentation lists them.</summary>
    public static IReadOnlyList<ProblemEntry> All { get; } =
    [
        new(ProblemTypes.InvalidRequest, "The request is invalid.", [400], ProblemScope.All, false,
            "The request is malformed or breaks a rule of the contract: the body is not JSON or not an object; a member is missing, " +
            "unknown, repeated or of the wrong type; a topic name is blank, longer than " + Number(MaxTopicNameLength) + " characters or holds " +
            "control characters; a value is missing, both `topicValue` and `topicValueBase64` are given, or the base64 is not canonical; " +
            "an `Idempotency-Key` header (or a batch message's `idempotencyKey`) is blank, longer than " + Number(MaxIdempotencyKeyLength) + " characters or not " +
            "printable ASCII; a verification parameter is out of range; or Momento refused the message as invalid. API Gateway's request validation " +
            "answers with this type too, and so do its other 4xx refusals and the local runner's refusals of HTTP it cannot read " +
            "(408, 414, 431), each with its own status. `field` names the member at fault where there is one (a JSON path such as `messages[3].topicValue`). " +
            "Nothing was published.",
            "Fix the request as `detail` and `field` say and send it again: the same request fails the same way. " +
            "The OpenAPI document (`/openapi.json`) has the schema of every body."),
        new(ProblemTypes.UnsupportedMediaType, "The content type is not supported.", [415], ProblemScope.Publish | ProblemScope.VerifyPost, false,
            "`POST /topics`, `POST /batch` and `POST /verify` take `application/json`, and this body had another `Content-Type`; or a " +
            "body read as text (JSON on any route, `text/*`) declared a charset other than UTF-8. Nothing was published.",
            "Send `Content-Type: application/json` with UTF-8 JSON. To publish bytes, send them to `POST /topics/{topicName}` " +
            "with a binary media type such as `application/octet-stream`."),
        new(ProblemTypes.PayloadTooLarge, "The payload is too large.", [413], ProblemScope.Publish | ProblemScope.VerifyPost, false,
            "A value is larger than " + Number(MaxValueBytes) + " bytes (text counted as UTF-8; Momento's limit for one message), " +
            "a batch has more than " + Number(MaxBatchMessages) + " messages, or the body is larger than " + Number(MaxBodyBytes) +
            " bytes (" + Number(MaxVerifyBodyBytes) + " on `/verify`), checked before it is read. Nothing was published.",
            "Send smaller values or split the batch. A payload larger than a topic message belongs in a store: publish a reference to it."),
        new(ProblemTypes.NotFound, "No such route.", [404], ProblemScope.None, false,
            "No route matches the request's path. The routes are " + Routes + ". (Behind API Gateway an unknown path is " +
            "usually answered as `unauthorized`: API Gateway does not tell a missing route from missing credentials.)",
            "Check the path against the OpenAPI document (`/openapi.json`); URLs of the deployed API include the stage (`/prod`)."),
        new(ProblemTypes.MethodNotAllowed, "The method is not allowed on this route.", [405], ProblemScope.None, false,
            "The route exists but does not take this method. The `Allow` header lists the methods it takes.",
            "Use a method from `Allow`: the publishing routes take `POST`, `/verify` takes `GET` and `POST`."),
        new(ProblemTypes.ForbiddenTopic, "The topic is not allowed.", [403], ProblemScope.All, false,
            "The topic name does not start with any of the prefixes this deployment allows (the stack's `topicPrefixes`, " +
            "the functions' `ALLOWED_TOPIC_PREFIXES`). The same allowlist holds for publishing and for `/verify`, so a caller " +
            "cannot listen to topics it may not publish to. `field` names the topic name at fault. Nothing was published " +
            "(or listened to).",
            "Use a topic under an allowed prefix, or ask the operators to allow this one; the same request fails the same way."),
        new(ProblemTypes.IdempotencyKeyMismatch, "The idempotency key was used for another request.", [422], ProblemScope.Publish, false,
            "The `Idempotency-Key` (or a batch message's `idempotencyKey`) was used before, within the retention window, with a " +
            "different request: another route, topic, content type or body. A key names one request. Nothing was published.",
            "Send the original request to retry it, or use a new key for a new request."),
        new(ProblemTypes.IdempotencyKeyInUse, "A request with this idempotency key is in flight.", [409], ProblemScope.Publish, true,
            "An earlier request with the same key and the same request is still being processed. Nothing was published for this one.",
            "Wait for the seconds `Retry-After` gives and retry with the same key: you then get the first request's answer, " +
            "replayed (`Idempotent-Replayed: true`). The key is released once the first request ends, or at the latest after " +
            "the function's time limit when it never ended."),
        new(ProblemTypes.RateLimited, "Too many requests.", [429], ProblemScope.All, true,
            "The request was refused to protect the service: API Gateway's throttle (per stage, and per API key in API key mode), " +
            "the API key's daily quota, or Momento's rate limit for the account. Nothing was published, unless `detail` says the " +
            "message may have been (a limit signalled by resetting a request that had already been sent).",
            "Wait for the seconds `Retry-After` gives, then retry, backing off exponentially while it persists. A used-up daily " +
            "quota has no `Retry-After`: it resets at midnight UTC (the operators can raise `quotaPerDay`)."),
        new(ProblemTypes.Unavailable, "Momento is unavailable.", [503], ProblemScope.Publish, true,
            "Momento could not be reached or said it is unavailable. `detail` says whether the message may have been published " +
            "(the connection failed after the message was sent) or certainly was not. With an idempotency key, the cache that " +
            "guards it could not be reached, and nothing was published.",
            "Retry after the seconds `Retry-After` gives. When `detail` says the message may have been published, a retry may " +
            "deliver it twice: retry only if subscribers tolerate duplicates."),
        new(ProblemTypes.Timeout, "No answer in time.", [504], ProblemScope.All, false,
            "No answer in time: Momento did not answer within the publish timeout, the invocation had no time left, or the " +
            "function did not answer within API Gateway's 29 s. The outcome is unknown (the message may have been published) " +
            "unless `detail` says it was not (no time was left to send it).",
            "Retry if subscribers tolerate duplicates; otherwise find out first whether it arrived (a subscriber, or `/verify`). " +
            "Timeouts that persist are for the operators (the `PublishLatency` metric)."),
        new(ProblemTypes.UpstreamMisconfigured, "The service is misconfigured.", [502], ProblemScope.All, false,
            "The service cannot use its Momento cache: the cache does not exist, its Momento key is missing, invalid, " +
            "expired or lacks permission, or (publishing) its Momento endpoint's TLS certificate is not trusted by the function " +
            "(a wrong endpoint, an intercepting proxy, or a trust store without the issuer). When Momento rejects the key, the " +
            "functions re-read it from the secret once, past the extension's cache and within the request's time, and retry " +
            "with a rotated key; this problem means the secret still holds the rejected key, or the re-read failed (unreadable, " +
            "malformed, or no time left: logged and counted as `KEY_REREAD_FAILED`). A deployment problem, not the caller's: " +
            "the function's log has the details. Nothing was published.",
            "Do not retry in a loop: tell the operators. They store a valid key in the stack's secret (the `PutSecretCommand` " +
            "output), fix the cache name, or fix the endpoint or the trust store (`SSL_CERT_FILE`, `SSL_CERT_DIR`); a rotated " +
            "key (or a new endpoint stored with it) is picked up without a redeploy."),
        new(ProblemTypes.UpstreamError, "Momento failed.", [502], ProblemScope.All, false,
            "Momento answered with an error no other type covers. `detail` says whether the message may have been published.",
            "Retry later with backoff (when `detail` says the message may have been published, only if subscribers tolerate " +
            "duplicates); if it persists, tell the operators."),
        new(ProblemTypes.Unauthorized, "Missing or invalid credentials.", [401, 403], ProblemScope.All, false,
            "API Gateway refused the request before any function ran: no `x-api-key` header, or a key that is not enabled in " +
            "the API's usage plan (API key mode); a missing, invalid or expired SigV4 signature, or a caller without " +
            "`execute-api:Invoke` (IAM mode). API Gateway answers a path or method it does not know this way too.",
            "Send the API key in `x-api-key` (the stack's `GetApiKeyCommand` output prints it), or sign the request with SigV4 " +
            "for the service `execute-api` with credentials allowed to invoke the API. If the credentials are right, check " +
            "the method and path against the OpenAPI document (`/openapi.json`)."),
        new(ProblemTypes.InternalError, "Internal error.", [500, 502], ProblemScope.All, false,
            "A failure inside the service: a function failed unexpectedly or returned an invalid response, or API Gateway " +
            "could not complete the request. API Gateway's own 5xx answers without a more specific type use it too, with their status " +
            "(the local runner's 505 for an HTTP version it does not speak as well). " +
            "The message may or may not have been published.",
            "Retry later if subscribers tolerate duplicates, and report it to the operators with the `requestId`."),
    ];

    /// <summary>The entry of <paramref name="slug"/>, or null.</summary>
    public static ProblemEntry? Find(string slug) => All.FirstOrDefault(e => string.Equals(e.Slug, slug, StringComparison.Ordinal));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
