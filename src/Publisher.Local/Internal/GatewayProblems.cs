using Functions.Common.Http;
using Microsoft.AspNetCore.Http;
using Publisher.Contracts;

namespace Publisher.Local.Internal;

/// <summary>
/// The problems the local API answers itself, where API Gateway would answer without invoking a function:
/// HTTP it cannot read, a body over the cap, a missing API key. Same format as the functions' problems and
/// the stack's gateway responses; never an exception text.
/// </summary>
internal static class GatewayProblems
{
    /// <summary>The problem for an HTTP-level refusal with this status (Kestrel's, or the body cap's).</summary>
    public static Problem ForStatus(int status, int maxBodyBytes) => status switch
    {
        StatusCodes.Status400BadRequest => new Problem(
            HttpContract.ProblemTypes.InvalidRequest, "The request was refused.", status,
            "The request is not well-formed HTTP/1.1: its request line, headers or body framing (Content-Length or chunked encoding) cannot be read."),
        StatusCodes.Status408RequestTimeout => new Problem(
            HttpContract.ProblemTypes.InvalidRequest, "The request was refused.", status, "The request did not arrive in time."),
        StatusCodes.Status413PayloadTooLarge => BodyTooLarge(maxBodyBytes),
        StatusCodes.Status414UriTooLong => new Problem(
            HttpContract.ProblemTypes.InvalidRequest, "The request was refused.", status, "The request URL is too long."),
        StatusCodes.Status431RequestHeaderFieldsTooLarge => new Problem(
            HttpContract.ProblemTypes.InvalidRequest, "The request was refused.", status, "The request headers are too large."),
        StatusCodes.Status505HttpVersionNotsupported => new Problem(
            HttpContract.ProblemTypes.InternalError, "The gateway could not complete the request.", status, "The HTTP version is not supported; send HTTP/1.1."),
        >= 500 => new Problem(HttpContract.ProblemTypes.InternalError, "The gateway could not complete the request.", status, "The local API could not complete the request."),
        _ => new Problem(HttpContract.ProblemTypes.InvalidRequest, "The request was refused.", status, "The request was refused before any function ran."),
    };

    /// <summary>413, in the words the publisher uses for the same limit.</summary>
    public static Problem BodyTooLarge(int maxBodyBytes) => Problem.TooLarge($"The request body is larger than {maxBodyBytes} bytes.");

    /// <summary>400 for a path whose percent-escapes are not UTF-8, in the words the functions use for the same path.</summary>
    public static Problem PathNotUtf8() => Problem.Invalid("The path holds a percent-encoded sequence that is not UTF-8.", "path");

    /// <summary>403 for a missing or wrong x-api-key, before any function runs (API Gateway's INVALID_API_KEY).</summary>
    public static Problem Forbidden() =>
        new(HttpContract.ProblemTypes.Unauthorized, "Forbidden.", StatusCodes.Status403Forbidden, "A valid API key is required in the x-api-key header.");

    /// <summary>403 for a request to a keyless local API that is not addressed to a loopback name, or comes from another site's page.</summary>
    public static Problem ForeignRequest(string detail) =>
        new(HttpContract.ProblemTypes.Unauthorized, "Forbidden.", StatusCodes.Status403Forbidden, detail);

    /// <summary>502, as API Gateway answers a function that failed or returned a malformed proxy response.</summary>
    public static Problem BadFunctionResponse(string detail) =>
        new(HttpContract.ProblemTypes.InternalError, "Internal server error", StatusCodes.Status502BadGateway, detail);

    /// <summary>The problem types of the local API listening on this address: its own <c>/problems/</c> pages.</summary>
    public static ProblemTypeBase TypesFor(System.Net.IPAddress? address, int port) =>
        address is null ? ProblemTypeBase.Default : LocalApiDocs.ProblemTypeBaseFor(new System.Net.IPEndPoint(address, port));

    /// <summary>A fresh request id, as API Gateway's <c>$context.requestId</c>.</summary>
    public static string NewRequestId() => Guid.NewGuid().ToString();
}
