using System.Text.Json.Serialization;

namespace Functions.Common.Secrets;

/// <summary>
/// What the functions read of the GetSecretValue JSON the extension returns: the secret's text. Every other member
/// (ARN, Name, VersionId, CreatedDate, ...) is skipped unread, so none of them can fail a read however it is written.
/// <see cref="object.ToString"/> is not overridden, so the value never ends up in a log by accident.
/// </summary>
public sealed class GetSecretValueResponse
{
    /// <summary>The secret's text value; null when the secret is binary.</summary>
    [JsonPropertyName("SecretString")]
    public string? SecretString { get; init; }
}
