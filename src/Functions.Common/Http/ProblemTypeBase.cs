using Functions.Common.Configuration;
using Publisher.Contracts;

namespace Functions.Common.Http;

/// <summary>
/// The absolute base URI that problem type slugs are appended to, read once in the init phase: the stack gives its
/// API's <c>/problems/</c> address, so every <c>type</c> a caller receives is a page that documents it. The type is
/// the same for every request to one deployment (a stable identifier, RFC 9457), whichever layer answers.
/// </summary>
public sealed record ProblemTypeBase
{
    private ProblemTypeBase(string uri) => Uri = uri;

    /// <summary>The local runner's default address, <see cref="HttpContract.ProblemTypes.DefaultBaseUri"/>.</summary>
    public static ProblemTypeBase Default { get; } = new(HttpContract.ProblemTypes.DefaultBaseUri);

    /// <summary>The base, ending with a slash.</summary>
    public string Uri { get; }

    /// <summary>The problem type URI of <paramref name="slug"/>: one concatenation, on error paths only.</summary>
    public string For(string slug) => string.Concat(Uri, slug);

    /// <summary>
    /// A base from text: an absolute <c>http</c> or <c>https</c> URI without query or fragment, or an absolute path
    /// (<c>/problems/</c>: a URI reference, which RFC 9457 lets a client resolve against the URL it called, for a front
    /// door whose own address the function cannot be given), ending with a slash, of printable ASCII without quotes or
    /// backslashes (so it goes into JSON and gateway templates as it is); null and the reason otherwise.
    /// </summary>
    public static ProblemTypeBase? TryCreate(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = Check(text);
        return error is null ? new ProblemTypeBase(text) : null;
    }

    /// <summary>The base <see cref="EnvironmentVariables.ProblemTypeBaseUri"/> names, or <see cref="Default"/> when unset.</summary>
    public static ProblemTypeBase FromEnvironment(SettingsReader env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env.Optional(EnvironmentVariables.ProblemTypeBaseUri) is not { } text)
        {
            return Default;
        }

        return TryCreate(text, out var error)
            ?? throw new ConfigurationException($"{EnvironmentVariables.ProblemTypeBaseUri} {error}; it is '{Printable.Truncate(text)}'.");
    }

    private static string? Check(string text)
    {
        foreach (var c in text)
        {
            if (c is <= ' ' or > '~' or '"' or '\\')
            {
                return "must be printable ASCII without spaces, quotes or backslashes";
            }
        }

        // A path ("/problems/") resolves against the request's own URL; "//host/" would name another host.
        var isPath = text.StartsWith('/') && !text.StartsWith("//", StringComparison.Ordinal);
        if (!isPath && (!System.Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != System.Uri.UriSchemeHttp && uri.Scheme != System.Uri.UriSchemeHttps)))
        {
            return "must be an absolute http or https URI, or an absolute path such as /problems/";
        }

        if (text.Contains('?', StringComparison.Ordinal) || text.Contains('#', StringComparison.Ordinal))
        {
            return "must have no query or fragment";
        }

        return text.EndsWith('/') ? null : "must end with a slash";
    }
}
