namespace Publisher.OpenApi.Tests;

/// <summary>The checked-in documents are exactly what the contract produces: change the contract, regenerate.</summary>
public sealed class GeneratedDocumentsTests
{
    public static TheoryData<string> Documents() => [.. GeneratedDocuments.Produce().Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(Documents))]
    public void CheckedIn_Document_IsWhatTheContractProduces(string name)
    {
        var produced = GeneratedDocuments.Produce().Single(d => d.Name == name).Text;
        var path = Path.Combine(Repository.Docs, name);
        var checkedIn = File.Exists(path) ? File.ReadAllText(path) : null;

        Assert.True(checkedIn == produced, checkedIn is null
            ? $"docs/{name} is missing. {GeneratedDocuments.RegenerateCommand}"
            : $"docs/{name} differs from what the contract produces, first at line {FirstDifference(checkedIn, produced)}. {GeneratedDocuments.RegenerateCommand}");
    }

    [Fact]
    public async Task Check_StaleDocument_ExitsOneNamingItAndTheCommand()
    {
        var folder = Directory.CreateTempSubdirectory("openapi-check-");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            Assert.Equal(0, await OpenApiCli.RunAsync(["--docs", folder.FullName], output, error, CancellationToken.None));
            Assert.Equal(0, await OpenApiCli.RunAsync(["--docs", folder.FullName, "--check"], output, error, CancellationToken.None));
            File.AppendAllText(Path.Combine(folder.FullName, GeneratedDocuments.OpenApiFile), " ");

            var exit = await OpenApiCli.RunAsync(["--docs", folder.FullName, "--check"], output, error, CancellationToken.None);

            Assert.Equal(OpenApiCli.Stale, exit);
            Assert.Contains(GeneratedDocuments.OpenApiFile, error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(GeneratedDocuments.ProblemsFile, error.ToString(), StringComparison.Ordinal);
            Assert.Contains("dotnet run --project src/Publisher.OpenApi", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Write_DocsOptionNamingAFile_ExitsOneWithOneLine()
    {
        var file = Path.GetTempFileName();
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exit = await OpenApiCli.RunAsync(["--docs", file], output, error, CancellationToken.None);

            Assert.Equal(OpenApiCli.Failed, exit);
            Assert.StartsWith($"Cannot write the documents in '{file}': ", error.ToString(), StringComparison.Ordinal);
            Assert.Single(error.ToString().TrimEnd().Split('\n'));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static int FirstDifference(string a, string b)
    {
        var (left, right) = (a.Split('\n'), b.Split('\n'));
        var line = 0;
        while (line < left.Length && line < right.Length && left[line] == right[line])
        {
            line++;
        }

        return line + 1;
    }
}
