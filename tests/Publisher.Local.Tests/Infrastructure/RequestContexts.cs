using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Publisher.Local.Tests.Infrastructure;

/// <summary>Requests as Kestrel hands them to the local API's event emulation, built without a server.</summary>
internal static class RequestContexts
{
    /// <summary>
    /// An HTTP/1.1 request of <paramref name="method"/> to <paramref name="path"/> with <paramref name="query"/> ("" for none,
    /// else with its '?') and <paramref name="contentType"/>, whose raw target is the path and query as sent.
    /// </summary>
    public static DefaultHttpContext Create(string method, string path, string query, string? contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = PathString.FromUriComponent(path);
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        context.Request.ContentType = contentType;
        context.Request.Protocol = "HTTP/1.1";
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = path + query;
        return context;
    }
}
