using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Publisher.Local.Internal;

/// <summary>The <c>x-api-key</c> check of the local API and its console, as the deployed API's key requirement.</summary>
internal static class ApiKeyCheck
{
    /// <summary>True when no key is demanded, or <paramref name="request"/> sends exactly <paramref name="apiKey"/>.</summary>
    public static bool Accepts(HttpRequest request, string? apiKey)
    {
        if (apiKey is null)
        {
            return true;
        }

        // Compared in constant time, and never logged or echoed.
        var sent = request.Headers["x-api-key"].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(apiKey));
    }
}
