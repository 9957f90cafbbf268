using System.Collections.Frozen;

namespace Publisher.Local.WebConsole;

/// <summary>The console's static files, embedded in this assembly (no CDN, no build step): read once, served from memory.</summary>
internal sealed class ConsoleAssets
{
    /// <summary>The page served at <c>GET /</c>.</summary>
    public const string Page = "index.html";

    private const string ResourcePrefix = "WebConsole/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, Asset> _files;

    private ConsoleAssets(FrozenDictionary<string, Asset> files) => _files = files;

    /// <summary>Reads every embedded console file.</summary>
    public static ConsoleAssets Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name[ResourcePrefix.Length..];
            files[file] = new Asset(ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream"), copy.ToArray());
        }

        if (!files.ContainsKey(Page))
        {
            throw new InvalidOperationException($"The console's {Page} is not embedded in {assembly.GetName().Name}; the build lost WebConsole/wwwroot.");
        }

        return new ConsoleAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Whether <paramref name="file"/> is a console file other than the page (served under <c>/console/</c>).</summary>
    public bool Contains(string file) => file != Page && _files.ContainsKey(file);

    /// <summary>One file.</summary>
    public Asset Get(string file) => _files[file];

    /// <summary>A file's content and its media type.</summary>
    public sealed record Asset(string ContentType, byte[] Content);
}
