using Amazon.CDK.AWS.APIGateway;
using Publisher.Contracts;
using static Publisher.Contracts.HttpContract;

namespace Publisher.Cdk.Internal;

/// <summary>
/// Gateway responses reshaped into RFC 9457 problem details with the same <c>type</c> URIs the
/// functions use (the slugs of <see cref="HttpContract.ProblemTypes"/> under the base the stack
/// gives the functions too), so a caller sees one error format whichever layer refused the request, and each
/// <c>type</c> is the address of its documentation page.
/// </summary>
internal static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    /// <summary>A pre-quoted JSON string of API Gateway's own message.</summary>
    private const string GatewayMessage = "$context.error.messageString";

    /// <summary>One gateway response: status null keeps API Gateway's own status (and leaves it out of the body).</summary>
    public sealed record Definition(ResponseType_ Type, string Id, int? Status, string Slug, string Title, string DetailJson)
    {
        /// <summary>Seconds sent as <c>Retry-After</c>, or null for none.</summary>
        public int? RetryAfter { get; init; }
    }

    public static IReadOnlyList<Definition> All { get; } =
    [
        new(ResponseType_.BAD_REQUEST_BODY, "BadRequestBody", 400, ProblemTypes.InvalidRequest, "The request is invalid.",
            "\"$context.error.validationErrorString\""),
        new(ResponseType_.BAD_REQUEST_PARAMETERS, "BadRequestParameters", 400, ProblemTypes.InvalidRequest, "The request is invalid.", GatewayMessage),
        new(ResponseType_.MISSING_AUTHENTICATION_TOKEN, "MissingAuthenticationToken", 403, ProblemTypes.Unauthorized,
            "Missing credentials or unknown route.",
            Quote("The request carried no credentials (an x-api-key header or a SigV4 signature), or no route matches its method and path.")),
        new(ResponseType_.UNAUTHORIZED, "Unauthorized", 401, ProblemTypes.Unauthorized, "The request is not authenticated.", GatewayMessage),
        new(ResponseType_.ACCESS_DENIED, "AccessDenied", 403, ProblemTypes.Unauthorized, "The caller may not call this route.", GatewayMessage),
        new(ResponseType_.INVALID_API_KEY, "InvalidApiKey", 403, ProblemTypes.Unauthorized, "The API key is not valid.",
            Quote("The x-api-key header does not hold an enabled API key of this API's usage plan.")),
        new(ResponseType_.INVALID_SIGNATURE, "InvalidSignature", 403, ProblemTypes.Unauthorized, "The request signature is not valid.", GatewayMessage),
        new(ResponseType_.EXPIRED_TOKEN, "ExpiredToken", 403, ProblemTypes.Unauthorized, "The credentials have expired.", GatewayMessage),
        new(ResponseType_.THROTTLED, "Throttled", 429, ProblemTypes.RateLimited, "Too many requests.",
            Quote("The API's request rate limit was exceeded; retry after a short pause.")) { RetryAfter = RetryAfterSeconds },
        new(ResponseType_.QUOTA_EXCEEDED, "QuotaExceeded", 429, ProblemTypes.RateLimited, "The daily quota is used up.",
            Quote("This API key has used its requests for the day; the quota resets at midnight UTC.")),
        new(ResponseType_.REQUEST_TOO_LARGE, "RequestTooLarge", 413, ProblemTypes.PayloadTooLarge, "The payload is too large.", GatewayMessage),
        new(ResponseType_.UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType", 415, ProblemTypes.UnsupportedMediaType,
            "The content type is not supported.", GatewayMessage),
        new(ResponseType_.RESOURCE_NOT_FOUND, "ResourceNotFound", 404, ProblemTypes.NotFound, "No such route.", GatewayMessage),
        new(ResponseType_.INTEGRATION_TIMEOUT, "IntegrationTimeout", 504, ProblemTypes.Timeout, "The function did not answer in time.",
            Quote("The function did not answer within API Gateway's 29 s limit; a publish may or may not have happened.")),
        new(ResponseType_.DEFAULT_4XX, "Default4xx", null, ProblemTypes.InvalidRequest, "The request was refused.", GatewayMessage),
        new(ResponseType_.DEFAULT_5XX, "Default5xx", null, ProblemTypes.InternalError, "The gateway could not complete the request.", GatewayMessage),
    ];

    /// <summary>Adds every gateway response; <paramref name="typeBase"/> is the problem types' base URI (may hold tokens).</summary>
    public static void AddTo(RestApi api, string typeBase)
    {
        foreach (var definition in All)
        {
            var template = Template(definition, typeBase);
            var headers = new Dictionary<string, string>
            {
                ["Content-Type"] = $"'{ContentType}'",
            };
            if (definition.RetryAfter is { } seconds)
            {
                headers["Retry-After"] = $"'{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}'";
            }

            api.AddGatewayResponse(definition.Id, new GatewayResponseOptions
            {
                Type = definition.Type,
                StatusCode = definition.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ResponseHeaders = headers,
                // Keyed by the response's content type; API Gateway falls back to application/json.
                Templates = new Dictionary<string, string>
                {
                    ["application/json"] = template,
                    [ContentType] = template,
                },
            });
        }
    }

    /// <summary>The body template: plain variable substitution, no VTL.</summary>
    public static string Template(Definition d, string typeBase)
    {
        ArgumentNullException.ThrowIfNull(d);
        var status = d.Status is { } code ? $"\"status\":{code}," : string.Empty;
        return $"{{\"type\":\"{typeBase}{d.Slug}\",\"title\":\"{d.Title}\",{status}\"detail\":{d.DetailJson},\"requestId\":\"$context.requestId\"}}";
    }

    /// <summary>A fixed detail as a JSON string; the texts here hold no quotes or backslashes to escape.</summary>
    private static string Quote(string text) => $"\"{text}\"";
}
