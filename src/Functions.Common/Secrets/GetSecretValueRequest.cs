namespace Functions.Common.Secrets;

/// <summary>Which secret (and version) to fetch through the Parameters and Secrets extension.</summary>
public sealed record GetSecretValueRequest
{
    /// <summary>The secret's name or ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>A staging label, e.g. <c>AWSPREVIOUS</c>. Default null: the extension's default (<c>AWSCURRENT</c>).</summary>
    public string? VersionStage { get; init; }

    /// <summary>A specific version id. Default null.</summary>
    public string? VersionId { get; init; }
}
