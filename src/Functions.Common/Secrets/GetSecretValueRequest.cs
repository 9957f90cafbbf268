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

    /// <summary>
    /// True asks the extension to fetch from Secrets Manager now rather than answer from its cache (<c>refreshNow=true</c>,
    /// which also resets the cached entry's TTL). Default false: a cached value younger than the TTL is returned.
    /// </summary>
    public bool RefreshNow { get; init; }
}
