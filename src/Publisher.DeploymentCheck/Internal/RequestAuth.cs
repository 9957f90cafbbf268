using System.Net.Http.Headers;

namespace Publisher.DeploymentCheck.Internal;

/// <summary>How the checker authenticates each request besides SigV4 (which a handler adds): the REST API's key, or a JWT.</summary>
/// <param name="ApiKey">Sent as <c>x-api-key</c>.</param>
/// <param name="BearerToken">Sent as <c>Authorization: Bearer</c>, for an HTTP API's JWT authorizer.</param>
internal sealed record RequestAuth(string? ApiKey = null, string? BearerToken = null)
{
    /// <summary>Adds the credential to <paramref name="request"/>.</summary>
    public void Apply(HttpRequestMessage request)
    {
        if (ApiKey is not null)
        {
            request.Headers.Add("x-api-key", ApiKey);
        }

        if (BearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BearerToken);
        }
    }
}
