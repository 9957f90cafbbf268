using System.Text;
using Amazon.Lambda.APIGatewayEvents;

namespace Functions.Common.Http;

/// <summary>
/// The route API Gateway matched, read from the event rather than from the path: behind a custom domain the path
/// carries the base path (<c>/messaging/topics</c>) and an HTTP API's raw path a named stage's prefix, while
/// <c>resource</c> (REST) and <c>routeKey</c> (HTTP API) are in the API's own terms. Templates are filled in from
/// <c>pathParameters</c>, which API Gateway has already decoded; a greedy <c>{proxy+}</c> gives the rest of the path.
/// The path is the fallback when the event names no route (<c>$default</c>, function URLs) or does not say what a
/// template parameter matched.
/// </summary>
public static class MatchedRoute
{
    /// <summary>A REST API (1.0) event's route: <c>resource</c>, else <c>path</c>.</summary>
    public static Checked<string[]> FromRest(APIGatewayProxyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Expand(request.Resource, request.PathParameters) ?? FromPath(request.Path ?? "/");
    }

    /// <summary>An HTTP API (2.0) event's route: <c>routeKey</c> (<c>POST /topics/{topicName}</c>), else the raw path below the stage.</summary>
    public static Checked<string[]> FromHttpApi(APIGatewayHttpApiV2ProxyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var routeKey = request.RouteKey ?? request.RequestContext?.RouteKey;
        var space = routeKey?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        if (space > 0 && Expand(routeKey![(space + 1)..], request.PathParameters) is { } route)
        {
            return route;
        }

        var path = request.RawPath ?? request.RequestContext?.Http?.Path ?? "/";
        var stage = request.RequestContext?.Stage;
        if (!string.IsNullOrEmpty(stage) && stage != "$default" && path.StartsWith("/" + stage + "/", StringComparison.Ordinal))
        {
            path = path[(stage.Length + 1)..];
        }

        return FromPath(path);
    }

    /// <summary>The template's segments with parameters filled in; null when there is no template or a parameter is unknown.</summary>
    private static string[]? Expand(string? template, IDictionary<string, string>? parameters)
    {
        if (string.IsNullOrEmpty(template) || template[0] != '/')
        {
            return null;
        }

        var route = new List<string>();
        foreach (var part in template.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Length < 3 || part[0] != '{' || part[^1] != '}')
            {
                route.Add(part);
                continue;
            }

            var greedy = part[^2] == '+';
            var name = part[1..^(greedy ? 2 : 1)];
            if (parameters is null || !parameters.TryGetValue(name, out var value) || value is null)
            {
                return null;
            }

            // Only a greedy parameter spans segments; a plain one is one segment even if it holds a decoded '/'.
            if (greedy)
            {
                route.AddRange(value.Split('/', StringSplitOptions.RemoveEmptyEntries));
            }
            else
            {
                route.Add(value);
            }
        }

        return [.. route];
    }

    /// <summary>The path's segments, each percent-decoded once; an escape that is not UTF-8 is a 400.</summary>
    private static Checked<string[]> FromPath(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            if (DecodeSegment(segments[i]) is not { } decoded)
            {
                return Problem.Invalid("The path holds a percent-encoded sequence that is not UTF-8.", "path");
            }

            segments[i] = decoded;
        }

        return segments;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// One path segment percent-decoded once, or null when its escapes are not UTF-8 (Uri.UnescapeDataString would
    /// leave them in place and make "%FF" a topic name). The local API decodes path parameters by the same rule.
    /// </summary>
    public static string? DecodeSegment(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (!segment.Contains('%', StringComparison.Ordinal))
        {
            return segment;
        }

        var bytes = new List<byte>(segment.Length);
        var literal = 0;
        for (var i = 0; i < segment.Length; i++)
        {
            if (segment[i] == '%' && i + 2 < segment.Length && Uri.IsHexDigit(segment[i + 1]) && Uri.IsHexDigit(segment[i + 2]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(segment[literal..i]));
                bytes.Add((byte)((Uri.FromHex(segment[i + 1]) << 4) | Uri.FromHex(segment[i + 2])));
                i += 2;
                literal = i + 1;
            }
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(segment[literal..]));
        try
        {
            return StrictUtf8.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
