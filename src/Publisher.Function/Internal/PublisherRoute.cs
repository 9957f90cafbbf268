using Functions.Common.Http;

namespace Publisher.Function.Internal;

/// <summary>The publisher's routes, as the stack's API declares them.</summary>
internal enum PublisherRoute
{
    /// <summary><c>POST /topics</c>: one JSON message.</summary>
    Topics,

    /// <summary><c>POST /topics/{topicName}</c>: the raw body to the named topic.</summary>
    TopicByName,

    /// <summary><c>POST /batch</c>: up to the configured number of JSON messages.</summary>
    Batch,
}

/// <summary>The route a request matched, with the topic name when the route carries one.</summary>
internal readonly record struct RouteMatch(PublisherRoute Route, string? TopicName)
{
    /// <summary>The only method any publisher route takes.</summary>
    public const string AllowedMethods = "POST";

    /// <summary>The route's template, as logged and as named in problems.</summary>
    public string Template => Route switch
    {
        PublisherRoute.Topics => "/topics",
        PublisherRoute.TopicByName => "/topics/{topicName}",
        _ => "/batch",
    };

    /// <summary>
    /// The most body the route API Gateway matched takes: the raw body of <c>/topics/{topicName}</c> is the value itself,
    /// so the value limit (a larger one is refused before it is decoded); any other route, the body cap.
    /// </summary>
    public static int BodyLimit(IReadOnlyList<string> route, PublisherSettings settings) =>
        route is ["topics", _] ? settings.MaxValueBytes : settings.MaxBodyBytes;

    /// <summary>Matches the route API Gateway matched (see <see cref="ApiRequest.Route"/>); anything else is a 404.</summary>
    public static Checked<RouteMatch> Match(ApiRequest request) => request.Route switch
    {
        ["topics"] => new RouteMatch(PublisherRoute.Topics, null),
        ["topics", var topicName] => new RouteMatch(PublisherRoute.TopicByName, topicName),
        ["batch"] => new RouteMatch(PublisherRoute.Batch, null),
        _ => Problem.RouteNotFound(request.Method, request.Path),
    };
}
