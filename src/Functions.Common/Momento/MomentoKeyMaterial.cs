using System.Text.Json;
using Functions.Common.Configuration;

namespace Functions.Common.Momento;

/// <summary>A Momento key and, optionally, the endpoint that goes with it, as read from a secret.</summary>
public sealed record MomentoKeyMaterial(string ApiKey, string? Endpoint)
{
    /// <inheritdoc />
    public override string ToString() => $"MomentoKeyMaterial {{ ApiKey = ***, Endpoint = {Endpoint} }}";

    /// <summary>
    /// Parses a secret string: a bare key, or JSON <c>{"apiKey": "...", "endpoint": "..."}</c>.
    /// Errors name the secret but never show its content.
    /// </summary>
    public static MomentoKeyMaterial ParseSecret(string secretString, string secretId)
    {
        var text = secretString.Trim();
        if (text.Length == 0)
        {
            throw new ConfigurationException($"The secret '{secretId}' is empty: put the Momento API key into it.");
        }

        if (text[0] != '{')
        {
            return new MomentoKeyMaterial(text, null);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (!root.TryGetProperty("apiKey", out var key) || key.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(key.GetString()))
            {
                throw new ConfigurationException(
                    $"The secret '{secretId}' holds JSON without a non-empty string \"apiKey\"; it must be a bare key or {{\"apiKey\": \"...\", \"endpoint\": \"...\"}}.");
            }

            string? endpoint = null;
            if (root.TryGetProperty("endpoint", out var ep))
            {
                if (ep.ValueKind != JsonValueKind.String)
                {
                    throw new ConfigurationException($"The secret '{secretId}' has an \"endpoint\" that is not a string.");
                }

                endpoint = string.IsNullOrWhiteSpace(ep.GetString()) ? null : ep.GetString()!.Trim();
            }

            return new MomentoKeyMaterial(key.GetString()!.Trim(), endpoint);
        }
        catch (JsonException)
        {
            throw new ConfigurationException($"The secret '{secretId}' starts with '{{' but is not valid JSON.");
        }
    }
}
