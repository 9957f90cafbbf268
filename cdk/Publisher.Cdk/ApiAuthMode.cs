namespace Publisher.Cdk;

/// <summary>How callers authenticate to the REST API; every method requires one of these.</summary>
public enum ApiAuthMode
{
    /// <summary>An API key (header <c>x-api-key</c>) tied to a usage plan that throttles and sets a daily quota.</summary>
    ApiKey,

    /// <summary>AWS Signature Version 4 (IAM authorization); callers need <c>execute-api:Invoke</c>.</summary>
    Iam,
}
