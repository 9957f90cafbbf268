using System.Text.Json.Serialization;

namespace Functions.Common.Secrets;

/// <summary>The GetSecretValue JSON the extension returns. <see cref="object.ToString"/> is not overridden, so the value never ends up in a log by accident.</summary>
public sealed class GetSecretValueResponse
{
    /// <summary>The secret's ARN.</summary>
    [JsonPropertyName("ARN")]
    public string? ARN { get; set; }

    /// <summary>The secret's name.</summary>
    [JsonPropertyName("Name")]
    public string? Name { get; set; }

    /// <summary>The secret's text value; null when the secret is binary.</summary>
    [JsonPropertyName("SecretString")]
    public string? SecretString { get; set; }

    /// <summary>The secret's binary value, base64; null when the secret is text.</summary>
    [JsonPropertyName("SecretBinary")]
    public string? SecretBinary { get; set; }

    /// <summary>The version's id.</summary>
    [JsonPropertyName("VersionId")]
    public string? VersionId { get; set; }

    /// <summary>The version's staging labels, e.g. <c>AWSCURRENT</c>.</summary>
    [JsonPropertyName("VersionStages")]
    public List<string>? VersionStages { get; set; }

    /// <summary>When the version was created (sent as an ISO 8601 string or as epoch seconds; both are read).</summary>
    [JsonPropertyName("CreatedDate")]
    [JsonConverter(typeof(FlexibleDateConverter))]
    public DateTimeOffset? CreatedDate { get; set; }
}
