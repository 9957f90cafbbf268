namespace Documentation.Tests;

/// <summary>Every <c>sh</c> block of the documentation runs against the local service (blocks that need AWS are <c>sh no-run</c>).</summary>
public sealed class RunnableExampleTests(RunnableExamples runner) : IClassFixture<RunnableExamples>
{
    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var page in Repository.Pages)
        {
            foreach (var block in Markdown.Load(page).Blocks.Where(b => b.IsRunnable))
            {
                data.Add(page, block.Line);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public async Task RunnableBlock_Runs(string page, int line)
    {
        var block = Assert.Single(Markdown.Load(page).Blocks, b => b.Line == line);

        var (exitCode, output) = await runner.RunAsync(block);

        Assert.True(exitCode == 0, $"The sh block at {block} stopped working (exit {exitCode}); tag it 'sh no-run' only if it needs AWS.\n{runner.Script(block)}\n--- output ---\n{output}");
    }

    [Fact]
    public void RunnableBlocks_CoverServeCurlSubscribeInvokeAndVerify()
    {
        var code = string.Join('\n', Repository.Pages.SelectMany(p => Markdown.Load(p).Blocks).Where(b => b.IsRunnable).Select(b => b.Code));

        Assert.All((string[])["dotnet run --project src/Publisher.Local\n", "curl ", "-- subscribe --topic", "-- invoke --event", "-- verify --url http://127.0.0.1:3000"],
            command => Assert.Contains(command, code, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("curl -s -X POST http://127.0.0.1:3000/nowhere -d '{}'")]
    [InlineData("dotnet run --project src/Publisher.Local -- subscribe --topik my-topic")]
    [InlineData("dotnet run --project src/Publisher.Local -- invoke --event src/Publisher.Local/events/missing.json")]
    [InlineData("npx cdk deploy")]
    public async Task BrokenExample_Fails(string code)
    {
        // The runner is real: an example that no longer works fails its block.
        var (exitCode, _) = await runner.RunAsync(new CodeBlock("test", 1, "sh", code));

        Assert.NotEqual(0, exitCode);
    }
}
