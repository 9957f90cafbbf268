namespace Publisher.Contracts;

/// <summary>
/// The facts of the HTTP contract that more than one program must agree on: limits, problem types, media types and
/// the topic-name rule. The functions, the CDK stack (its request schemas, gateway responses and function
/// environment), the OpenAPI generator and the deployment check all read them from here, so they cannot drift.
/// </summary>
public static class HttpContract
{
    /// <summary>Longest topic name in UTF-16 characters (Momento documents none; this keeps logs and metrics sane).</summary>
    public const int MaxTopicNameLength = 256;

    /// <summary>Momento's limit on one topic message, in bytes (text counted as UTF-8); the publisher's default.</summary>
    public const int MaxValueBytes = 4096;

    /// <summary>Length of the padded base64 text of <see cref="MaxValueBytes"/> bytes.</summary>
    public const int MaxValueBase64Length = (MaxValueBytes + 2) / 3 * 4;

    /// <summary>Most messages in one <c>POST /batch</c>; the publisher's default.</summary>
    public const int MaxBatchMessages = 100;

    /// <summary>Hard cap on a publish request body, checked before parsing: enough for 100 maximal base64 values.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Hard cap on a verification request body.</summary>
    public const int MaxVerifyBodyBytes = 64 * 1024;

    /// <summary>Longest verification session by default, in ms: under API Gateway's 29 s integration timeout.</summary>
    public const int MaxVerifyListenMs = 25_000;

    /// <summary>Listening time of a verification request that does not say, in ms (capped by the maximum).</summary>
    public const int DefaultVerifyListenMs = 10_000;

    /// <summary>Largest <c>count</c> a verification request may wait for, and most items a session returns.</summary>
    public const int MaxVerifyCount = 100;

    /// <summary>Seconds in the <c>Retry-After</c> of a 429 or 503 (the function's and the gateway's alike).</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>The request header that makes a publish safe to retry (the IETF httpapi draft's name); on the single-message routes.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The response header of an answer replayed from an idempotency record: <c>true</c>.</summary>
    public const string IdempotentReplayedHeader = "Idempotent-Replayed";

    /// <summary>Longest idempotency key in characters; a key is printable ASCII (space to tilde) and not blank.</summary>
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>Seconds an idempotency record is kept by default (24 h, Momento's default longest TTL); see <c>IDEMPOTENCY_TTL_SECONDS</c>.</summary>
    public const int DefaultIdempotencyTtlSeconds = 24 * 60 * 60;

    /// <summary>Whether <paramref name="key"/> is a valid idempotency key: 1 to 255 printable ASCII characters, not all spaces.</summary>
    public static bool IsValidIdempotencyKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > MaxIdempotencyKeyLength)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The media type of JSON requests and answers.</summary>
    public const string JsonMediaType = "application/json";

    /// <summary>The media type of every error answer: an RFC 9457 problem.</summary>
    public const string ProblemMediaType = "application/problem+json";

    /// <summary>Path of the API's OpenAPI document (served without credentials by the local runner and the stack).</summary>
    public const string OpenApiPath = "/openapi.json";

    /// <summary>
    /// Path of the problem types' documentation (served without credentials): <c>/problems</c> lists them,
    /// <c>/problems/{slug}</c> documents one. A problem's <c>type</c> URI is such a page's address.
    /// </summary>
    public const string ProblemsPath = "/problems";

    /// <summary>
    /// RFC 9457 problem types: a slug each, appended to a base URI that points at the documentation pages
    /// (<see cref="ProblemsPath"/>). The stack gives the functions its API's own base; see <c>ProblemTypeBase</c>.
    /// </summary>
    public static class ProblemTypes
    {
        /// <summary>The base when the environment names none: the local runner's default address.</summary>
        public const string DefaultBaseUri = "http://127.0.0.1:3000" + ProblemsPath + "/";

        /// <summary>400: malformed, or breaks a rule.</summary>
        public const string InvalidRequest = "invalid-request";

        /// <summary>415: the body's media type or charset is not accepted.</summary>
        public const string UnsupportedMediaType = "unsupported-media-type";

        /// <summary>413: a body, a value or a batch is larger than allowed.</summary>
        public const string PayloadTooLarge = "payload-too-large";

        /// <summary>404: no such route.</summary>
        public const string NotFound = "not-found";

        /// <summary>405: the route does not take this method.</summary>
        public const string MethodNotAllowed = "method-not-allowed";

        /// <summary>403: the topic is outside the configured prefixes.</summary>
        public const string ForbiddenTopic = "forbidden-topic";

        /// <summary>422: an idempotency key was used before with a different request.</summary>
        public const string IdempotencyKeyMismatch = "idempotency-key-mismatch";

        /// <summary>409: a request with the same idempotency key is still in flight.</summary>
        public const string IdempotencyKeyInUse = "idempotency-key-in-use";

        /// <summary>429: a rate limit or quota was exceeded.</summary>
        public const string RateLimited = "rate-limited";

        /// <summary>503: Momento is unavailable.</summary>
        public const string Unavailable = "unavailable";

        /// <summary>504: no answer in time.</summary>
        public const string Timeout = "timeout";

        /// <summary>502: the service cannot reach its Momento cache with its credentials.</summary>
        public const string UpstreamMisconfigured = "upstream-misconfigured";

        /// <summary>502: Momento answered with another error.</summary>
        public const string UpstreamError = "upstream-error";

        /// <summary>401/403: missing or wrong credentials.</summary>
        public const string Unauthorized = "unauthorized";

        /// <summary>500: a bug.</summary>
        public const string InternalError = "internal-error";
    }

    /// <summary>What a topic name must be, for the functions (<see cref="Check"/>) and the gateway's schemas (the patterns).</summary>
    public static class TopicNames
    {
        /// <summary>
        /// The same rule as a regular expression for API Gateway's JSON schema: no control characters (C0, DEL, C1)
        /// and at least one character that is neither space nor control. A bare <c>\S</c> would let a control
        /// character be that one, and a final <c>$</c> would let Java's and .NET's engines accept one trailing line
        /// break, so the end is "no character follows" instead. The length is the schema's maxLength.
        /// </summary>
        public const string Pattern =
            @"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*(?![\s\S])";

        /// <summary>Canonical padded base64, what <c>topicValueBase64</c> must be (no whitespace, no missing padding).</summary>
        public const string Base64Pattern = @"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![\s\S])";

        /// <summary>The first rule <paramref name="name"/> breaks, or <see cref="TopicNameFault.None"/>.</summary>
        public static TopicNameFault Check(string name)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                return TopicNameFault.Blank;
            }

            if (name.Length > MaxTopicNameLength)
            {
                return TopicNameFault.TooLong;
            }

            foreach (var c in name)
            {
                if (char.IsControl(c))
                {
                    return TopicNameFault.ControlCharacter;
                }
            }

            return TopicNameFault.None;
        }
    }

    /// <summary>Why a topic name is refused.</summary>
    public enum TopicNameFault
    {
        /// <summary>The name is acceptable.</summary>
        None,

        /// <summary>Empty or only white space.</summary>
        Blank,

        /// <summary>Longer than <see cref="MaxTopicNameLength"/> characters.</summary>
        TooLong,

        /// <summary>Holds a control character (C0, DEL or C1).</summary>
        ControlCharacter,
    }
}
