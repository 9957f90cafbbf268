using static Publisher.Contracts.HttpContract;

namespace Publisher.Contracts;

/// <summary>Which function serves a route.</summary>
public enum RouteTarget
{
    /// <summary>The publisher (publishing, the documentation, and everything no route names).</summary>
    Publisher,

    /// <summary>The subscriber (verification sessions).</summary>
    Subscriber,
}

/// <summary>One route of the API as an HTTP API declares it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Template">The path template (<c>/topics/{topicName}</c>): a <c>{name}</c> segment matches one path segment.</param>
/// <param name="Target">The function behind it.</param>
/// <param name="Public">True for the documentation, which needs no credentials; every other route is authorized.</param>
public sealed record HttpRoute(string Method, string Template, RouteTarget Target, bool Public)
{
    /// <summary>API Gateway's route key, <c>POST /topics</c>.</summary>
    public string RouteKey => Method + " " + Template;
}

/// <summary>
/// The API's routes as the HTTP API front door declares them (the CDK stack) and the local runner matches them (its
/// HTTP API event shape); a request no route matches goes to the <c>$default</c> route, the publisher.
/// </summary>
public static class HttpRoutes
{
    /// <summary>The route key of the catch-all route.</summary>
    public const string DefaultRouteKey = "$default";

    /// <summary>Every route, publish and verify first, then the documentation.</summary>
    public static IReadOnlyList<HttpRoute> All { get; } =
    [
        new("POST", "/topics", RouteTarget.Publisher, false),
        new("POST", "/topics/{topicName}", RouteTarget.Publisher, false),
        new("POST", "/batch", RouteTarget.Publisher, false),
        new("GET", "/verify", RouteTarget.Subscriber, false),
        new("POST", "/verify", RouteTarget.Subscriber, false),
        new("GET", OpenApiPath, RouteTarget.Publisher, true),
        new("GET", ProblemsPath, RouteTarget.Publisher, true),
        new("GET", ProblemsPath + "/{slug}", RouteTarget.Publisher, true),
    ];

    /// <summary>
    /// The route a request matches and its path parameters as API Gateway passes them (each decoded by
    /// <paramref name="decode"/>, which returns null for a segment it cannot decode); null for none (the <c>$default</c> route).
    /// </summary>
    /// <param name="method">The request's method.</param>
    /// <param name="path">The path as sent (percent-encoded), without the query.</param>
    /// <param name="decode">Decodes one path segment.</param>
    public static (HttpRoute Route, IDictionary<string, string>? Parameters)? Match(string method, string path, Func<string, string?> decode)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(decode);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var route in All)
        {
            if (!string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var parts = route.Template.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != segments.Length)
            {
                continue;
            }

            Dictionary<string, string>? parameters = null;
            var matched = true;
            for (var i = 0; i < parts.Length && matched; i++)
            {
                if (parts[i] is ['{', .. var name, '}'])
                {
                    var value = decode(segments[i]);
                    matched = value is not null;
                    (parameters ??= new Dictionary<string, string>(StringComparer.Ordinal))[name] = value ?? string.Empty;
                }
                else
                {
                    matched = string.Equals(parts[i], segments[i], StringComparison.Ordinal);
                }
            }

            if (matched)
            {
                return (route, parameters);
            }
        }

        return null;
    }
}
