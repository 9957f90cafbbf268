namespace Functions.Common.Http;

/// <summary>Problem type slugs shared by the functions and the gateway responses of the CDK stack.</summary>
public static class ProblemTypes
{
    public const string BaseUri = "https://github.com/momento-topics-publisher/problems/";
    public const string InvalidRequest = "invalid-request";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string PayloadTooLarge = "payload-too-large";
    public const string NotFound = "not-found";
    public const string MethodNotAllowed = "method-not-allowed";
    public const string ForbiddenTopic = "forbidden-topic";
    public const string RateLimited = "rate-limited";
    public const string Unavailable = "unavailable";
    public const string Timeout = "timeout";
    public const string UpstreamMisconfigured = "upstream-misconfigured";
    public const string UpstreamError = "upstream-error";
    public const string Unauthorized = "unauthorized";
    public const string InternalError = "internal-error";

    /// <summary>400: the request is malformed or breaks a rule.</summary>
    public static Problem Invalid(string detail, string? field = null) =>
        new(InvalidRequest, "The request is invalid.", 400, detail) { Field = field };

    /// <summary>413: the body or a value is larger than allowed.</summary>
    public static Problem TooLarge(string detail, string? field = null) =>
        new(PayloadTooLarge, "The payload is too large.", 413, detail) { Field = field };

    /// <summary>415: the body's media type is not accepted on this route.</summary>
    public static Problem UnsupportedMedia(string detail) =>
        new(UnsupportedMediaType, "The content type is not supported.", 415, detail);

    /// <summary>404: no such route.</summary>
    public static Problem RouteNotFound(string method, string path) =>
        new(NotFound, "No such route.", 404, $"There is no route for {method} {path}.");

    /// <summary>405: the route exists but not for this method.</summary>
    public static Problem WrongMethod(string method, string path, string allowed) =>
        new(MethodNotAllowed, "The method is not allowed on this route.", 405, $"{path} accepts {allowed}, not {method}.");

    /// <summary>403: the topic is outside the configured prefixes.</summary>
    public static Problem TopicForbidden(string field) =>
        new(ForbiddenTopic, "The topic is not allowed.", 403, "The topic name does not start with any of the allowed prefixes.") { Field = field };
}
