namespace Amazon.Lambda.Core;

/// <summary>The Cognito identity of a mobile caller (official: Amazon.Lambda.Core).</summary>
public interface ICognitoIdentity
{
    /// <summary>The identity id.</summary>
    string IdentityId { get; }

    /// <summary>The identity pool id.</summary>
    string IdentityPoolId { get; }
}
