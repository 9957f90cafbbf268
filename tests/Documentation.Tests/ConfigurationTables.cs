using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Documentation.Tests;

/// <summary>
/// Generates docs/configuration.md's two tables from the code that reads the settings: each environment variable's and
/// each CDK context key's constant, with the meaning from its XML summary (a context key's from the
/// <c>PublisherStackSettings</c> property it sets). The tables sit between <c>&lt;!-- generated: NAME --&gt;</c> and
/// <c>&lt;!-- end generated --&gt;</c>; <c>UPDATE_DOCS=1 dotnet test tests/Documentation.Tests</c> rewrites them.
/// </summary>
internal static partial class ConfigurationTables
{
    public const string Page = "docs/configuration.md";

    /// <summary>Where environment variables are read: the declaring file and who reads them.</summary>
    public static readonly IReadOnlyList<(string File, string ReadBy)> EnvironmentSources =
    [
        ("src/Publisher.Contracts/EnvironmentVariables.cs", "both functions"),
        ("src/Functions.Common/Observability/StartupTimeline.cs", "publisher"),
        ("src/Amazon.Lambda.Subset/Internal/EnvironmentNames.cs", "Lambda runtime client"),
        ("src/Publisher.Local/LocalService.cs", "local runner"),
    ];

    public const string ContextKeysFile = "cdk/Publisher.Cdk/ContextKeys.cs";

    public const string SettingsFile = "cdk/Publisher.Cdk/PublisherStackSettings.cs";

    /// <summary>The generated sections, by name.</summary>
    public static IReadOnlyDictionary<string, string> Generate() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["environment-variables"] = EnvironmentTable(),
        ["cdk-context"] = ContextTable(),
    };

    /// <summary>The page with every generated section replaced by what the code says now.</summary>
    public static string Regenerate(string page, IReadOnlyDictionary<string, string> sections)
    {
        foreach (var (name, table) in sections)
        {
            var section = Section(name);
            Assert.True(section.IsMatch(page), $"{Page} has no '<!-- generated: {name} -->' ... '<!-- end generated -->' section.");
            page = section.Replace(page, m => m.Groups["open"].Value + table + m.Groups["close"].Value, 1);
        }

        return page;
    }

    public static string EnvironmentTable()
    {
        var table = new StringBuilder("| Variable | Read by | Meaning |\n| --- | --- | --- |\n");
        foreach (var (file, readBy) in EnvironmentSources)
        {
            foreach (var (_, value, summary) in Constants(Repository.Read(file)).Where(c => EnvironmentName().IsMatch(c.Value)))
            {
                // A summary that opens with "Publisher only:" or "Subscriber only:" narrows who reads it.
                var only = OnlyOne().Match(summary);
                var reader = only.Success ? only.Groups[1].Value.ToLowerInvariant() : readBy;
                var meaning = only.Success ? char.ToUpperInvariant(summary[only.Length]) + summary[(only.Length + 1)..] : summary;
                table.Append(CultureInfoInvariant($"| `{value}` | {reader} | {meaning} |\n"));
            }
        }

        return table.ToString();
    }

    public static string ContextTable()
    {
        var properties = Properties(Repository.Read(SettingsFile));
        var table = new StringBuilder("| Key | Meaning |\n| --- | --- |\n");
        foreach (var (name, value, summary) in Constants(Repository.Read(ContextKeysFile)))
        {
            var sets = SetsProperty().Match(summary);
            var meaning = sets.Success
                ? properties.TryGetValue(sets.Groups[1].Value, out var p) ? p : throw new InvalidOperationException($"ContextKeys.{name} sets {sets.Groups[1].Value}, which PublisherStackSettings does not declare.")
                : summary;
            table.Append(CultureInfoInvariant($"| `{value}` | {meaning} |\n"));
        }

        return table.ToString();
    }

    /// <summary>The string constants of a C# file with their XML summaries as Markdown, in file order.</summary>
    public static List<(string Name, string Value, string Summary)> Constants(string source) =>
        [.. ConstantDeclaration().Matches(source).Select(m => (m.Groups["name"].Value, m.Groups["value"].Value, ToMarkdown(m.Groups["doc"].Value)))];

    private static Dictionary<string, string> Properties(string source) =>
        PropertyDeclaration().Matches(source).ToDictionary(m => m.Groups["name"].Value, m => ToMarkdown(m.Groups["doc"].Value), StringComparer.Ordinal);

    /// <summary>An XML doc comment's summary as one line of Markdown that fits a table cell.</summary>
    public static string ToMarkdown(string doc)
    {
        var text = string.Join(' ', doc.Split('\n').Select(l => l.Trim().TrimStart('/').Trim()));
        var summary = Summary().Match(text);
        text = summary.Success ? summary.Groups[1].Value : text;
        text = SeeCref().Replace(text, m => $"`{m.Groups[1].Value.Split('.')[^1]}`");
        text = Code().Replace(text, "`$1`");
        text = HtmlTag().Replace(text, "");
        text = WebUtility.HtmlDecode(text).Replace("|", "\\|", StringComparison.Ordinal);
        return Whitespace().Replace(text, " ").Trim();
    }

    private static string CultureInfoInvariant(FormattableString s) => FormattableString.Invariant(s);

    private static Regex Section(string name) => new($@"(?<open><!-- generated: {Regex.Escape(name)}[^\n]*-->\n)[\s\S]*?(?<close><!-- end generated -->)");

    [GeneratedRegex(@"(?<doc>(?:[ \t]*///[^\n]*\n)+)[ \t]*(?:public|internal) const string (?<name>\w+) = ""(?<value>[^""]+)"";")]
    private static partial Regex ConstantDeclaration();

    [GeneratedRegex(@"(?<doc>(?:[ \t]*///[^\n]*\n)+)[ \t]*public [\w.<>?\[\], ]+ (?<name>\w+) \{ get; init; \}")]
    private static partial Regex PropertyDeclaration();

    [GeneratedRegex(@"^[A-Z_][A-Z0-9_]+$")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex(@"^Sets `(\w+)`\.$")]
    private static partial Regex SetsProperty();

    [GeneratedRegex(@"<summary>(.*?)</summary>")]
    private static partial Regex Summary();

    [GeneratedRegex(@"<see (?:cref|langword)=""([^""]+)""\s*/>")]
    private static partial Regex SeeCref();

    [GeneratedRegex(@"<c>(.*?)</c>")]
    private static partial Regex Code();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^(Publisher|Subscriber) only: ")]
    private static partial Regex OnlyOne();
}
