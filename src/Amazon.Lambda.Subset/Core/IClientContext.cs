namespace Amazon.Lambda.Core;

/// <summary>The client context a mobile SDK caller sent (official: Amazon.Lambda.Core).</summary>
public interface IClientContext
{
    /// <summary>Environment values the client sent.</summary>
    IDictionary<string, string> Environment { get; }

    /// <summary>The client application.</summary>
    IClientApplication Client { get; }

    /// <summary>Custom values the client sent.</summary>
    IDictionary<string, string> Custom { get; }
}
