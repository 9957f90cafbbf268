using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Documentation.Tests;

/// <summary>What the tests read from a Markdown page: its headings' anchors, its links and its fenced code blocks.</summary>
internal sealed partial class Markdown
{
    private Markdown(string path, string text)
    {
        Path = path;
        Text = text;
        var lines = text.Split('\n');
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string? fence = null;
        var fenceStart = 0;
        var info = "";
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var marker = FenceMarker().Match(line);
            if (fence is null && marker.Success)
            {
                fence = marker.Groups["fence"].Value;
                info = marker.Groups["info"].Value.Trim();
                fenceStart = i;
                continue;
            }

            if (fence is not null)
            {
                if (line.TrimStart().StartsWith(fence, StringComparison.Ordinal) && line.Trim().Trim(fence[0]).Length == 0)
                {
                    Blocks.Add(new CodeBlock(path, fenceStart + 1, info, string.Join('\n', lines[(fenceStart + 1)..i])));
                    fence = null;
                }

                continue;
            }

            var heading = Heading().Match(line);
            if (heading.Success)
            {
                var slug = Slug(heading.Groups["text"].Value);
                var n = counts.GetValueOrDefault(slug);
                counts[slug] = n + 1;
                Anchors.Add(n == 0 ? slug : $"{slug}-{n}");
            }

            foreach (Match anchor in HtmlAnchor().Matches(line))
            {
                Anchors.Add(anchor.Groups[1].Value);
            }

            var prose = InlineCode().Replace(line, "");
            foreach (Match link in Link().Matches(prose))
            {
                Links.Add(new Link(path, i + 1, link.Groups["target"].Value));
            }
        }
    }

    public string Path { get; }

    public string Text { get; }

    /// <summary>The anchors GitHub gives the page's headings (and explicit HTML anchors).</summary>
    public HashSet<string> Anchors { get; } = new(StringComparer.Ordinal);

    public List<Link> Links { get; } = [];

    public List<CodeBlock> Blocks { get; } = [];

    public static Markdown Load(string relativePath) => new(relativePath, Repository.Read(relativePath));

    public static Markdown Parse(string path, string text) => new(path, text.ReplaceLineEndings("\n"));

    /// <summary>
    /// GitHub's heading anchor: the rendered text lower-cased, every character but letters, digits, spaces, '-' and '_'
    /// dropped, spaces made '-'; a repeated anchor gets -1, -2, ... (done by the caller).
    /// </summary>
    public static string Slug(string heading)
    {
        var text = MarkdownLink().Replace(heading.Trim(), "${text}");
        text = HtmlTag().Replace(text, "");
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsLetterOrDigit(c) || c == '-' || c == '_' || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.ConnectorPunctuation)
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    [GeneratedRegex(@"^\s{0,3}(?<fence>`{3,}|~{3,})(?<info>.*)$")]
    private static partial Regex FenceMarker();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"<a\s+(?:name|id)=""([^""]+)""")]
    private static partial Regex HtmlAnchor();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex HtmlTag();
}

/// <summary>A link's target as written, and where.</summary>
internal sealed record Link(string Page, int Line, string Target)
{
    public override string ToString() => $"{Page}:{Line} ({Target})";
}

/// <summary>A fenced code block: its info string (language and flags, e.g. "sh no-run") and its text.</summary>
internal sealed record CodeBlock(string Page, int Line, string Info, string Code)
{
    public string Language => Info.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";

    /// <summary>A block the documentation test runs: tagged <c>sh</c> and not <c>no-run</c>.</summary>
    public bool IsRunnable => Language == "sh" && !Info.Split(' ').Contains("no-run");

    public override string ToString() => $"{Page}:{Line}";
}
