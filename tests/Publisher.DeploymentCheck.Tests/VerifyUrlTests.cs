using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Publisher.Contracts;
using Publisher.DeploymentCheck.Tests.Infrastructure;
using Publisher.Local;

namespace Publisher.DeploymentCheck.Tests;

/// <summary>
/// <c>verify</c> with URLs as people paste them, and with servers that are not this version of the stack (a newer
/// subscriber, redirects, huge or no answers).
/// </summary>
public sealed class VerifyUrlTests
{
    private const string ApiKey = LocalStack.ApiKey;

    [Theory]
    [InlineData("/prod?stage=x", "/prod/")]
    [InlineData("/prod#top", "/prod/")]
    [InlineData("/prod/topics", "/prod/")]
    [InlineData("/prod/verify/", "/prod/")]
    [InlineData("/messaging/v1/batch", "/messaging/v1/")]
    public async Task Verify_BasePathWithQueryFragmentOrRoute_CallsTheRoutesUnderTheBasePath(string pasted, string basePath)
    {
        var paths = new ConcurrentQueue<string>();
        var probed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var other = await StartAsync(async context =>
        {
            var path = context.Request.Path.Value!;
            paths.Enqueue(path);
            if (path.EndsWith("/topics", StringComparison.Ordinal))
            {
                probed.TrySetResult();
            }
            else
            {
                // A subscriber answers once it has listened, never at once: an instant answer to /verify could reach the
                // checker before its first probe (a loaded machine delays the checker's thread), and it sends none then.
                await Task.WhenAny(probed.Task, Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
            }

            await context.Response.WriteAsync("{}");
        });

        var run = await CliRun.RunAsync("verify", "--url", Root(other) + pasted, "--api-key", ApiKey, "--timeout-seconds", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(basePath + "verify", paths);
        Assert.Contains(basePath + "topics", paths);
        Assert.All(paths, path => Assert.Matches("^" + basePath + "(verify|topics)$", path));
    }

    [Fact]
    public async Task Verify_UrlOfThePublishRoute_ChecksTheApiItBelongsTo()
    {
        await using var service = await LocalService.StartAsync(LocalStack.Options());

        var run = await CliRun.RunAsync("verify", "--url", service.ApiUrl + "topics", "--api-key", ApiKey, "--timeout-seconds", "10");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("OK:", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    public async Task Verify_Redirect_IsNotFollowedAndSaysWhereItPoints(int status)
    {
        var reached = 0;
        await using var elsewhere = await StartAsync(context =>
        {
            Interlocked.Increment(ref reached);
            return context.Response.WriteAsync("{}");
        });
        var target = Root(elsewhere) + "/moved";
        await using var redirecting = await StartAsync(context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = target + context.Request.Path;
            return Task.CompletedTask;
        });

        var run = await CliRun.RunAsync("verify", "--url", Root(redirecting), "--api-key", ApiKey, "--timeout-seconds", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"failed with status {status} (a redirect to {target}/", run.Output, StringComparison.Ordinal);
        Assert.Contains("does not follow redirects", run.Output, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref reached));
    }

    [Fact]
    public async Task Verify_HugeAnswer_IsRefusedPastTheBoundNotBuffered()
    {
        // 64 MiB, more than any answer of the stack; the message is printed only once the read stops at the bound.
        const int bodyBytes = 64 * 1024 * 1024;
        await using var huge = await StartAsync(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            context.Response.ContentLength = bodyBytes;
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'x');
            try
            {
                for (long sent = 0; sent < bodyBytes && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The checker hung up.
            }
        });

        var run = await CliRun.RunAsync("verify", "--url", Root(huge), "--api-key", ApiKey, "--timeout-seconds", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("answered with a body over 10 MiB", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("publish failed with status 502", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_VerifyNeverAnswers_ExitsOneSayingSoWithoutAStackTrace()
    {
        // Publishes succeed; /verify holds the request until the checker gives up on it.
        await using var silent = await StartAsync(async context =>
        {
            if (context.Request.Path.Value!.EndsWith("/verify", StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await context.Response.WriteAsync("{\"published\":true}");
        });

        var run = await CliRun.RunAsync("verify", "--url", Root(silent), "--api-key", ApiKey, "--timeout-seconds", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no answer from", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ServerBreaksOffTheConnection_SaysWhatHappenedInsteadOfAGenericSendError()
    {
        await using var closing = await StartAsync(context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });

        var run = await CliRun.RunAsync("verify", "--url", Root(closing), "--api-key", ApiKey, "--timeout-seconds", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"the connection to {Root(closing)}/ failed mid-request: ", run.Output.Split('\n')[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("An error occurred while sending the request", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_InterruptedWhileWaiting_ExitsWithTheInterruptCodeAndNoStackTrace()
    {
        // What Ctrl+C or SIGTERM does (Program.cs cancels the token), at the moment /verify is outstanding.
        using var interrupt = new CancellationTokenSource();
        await using var silent = await StartAsync(async context =>
        {
            if (context.Request.Path.Value!.EndsWith("/verify", StringComparison.Ordinal))
            {
                await interrupt.CancelAsync();
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await context.Response.WriteAsync("{\"published\":true}");
        });
        var output = new LineWriter();
        var error = new LineWriter();

        var exitCode = await DeploymentCheckCli.RunAsync(
            ["verify", "--url", Root(silent), "--api-key", ApiKey, "--timeout-seconds", "20"], output, error, interrupt.Token).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(130, exitCode);
        Assert.Empty(error.Lines);
    }

    [Theory]
    [InlineData("<html><body>Welcome</body></html>")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"items\": 5, \"conditionMet\": true}")]
    public async Task Verify_UrlOfAnotherApiAnswering200_ExitsOneSayingItIsNotTheSubscriber(string body)
    {
        // Every route answers 200 with the same body, as a wrong --url (another API, a proxy's page) may.
        await using var other = await StartAsync(context => context.Response.WriteAsync(body));

        var run = await CliRun.RunAsync("verify", "--url", Root(other), "--api-key", ApiKey, "--timeout-seconds", "2");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("POST /verify answered 200 with something other than the subscriber's result", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NewerSubscriberAnswersWithMembersThisCheckerDoesNotKnow_ReadsItsAnswerAndSucceeds()
    {
        // A newer subscriber: today's answer plus members added at the top and in an item. It must not break this checker.
        var published = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var newer = await StartAsync(async context =>
        {
            using var request = await JsonDocument.ParseAsync(context.Request.Body);
            if (context.Request.Path == "/topics")
            {
                published.TrySetResult(request.RootElement.GetProperty("topicValue").GetString()!);
                await context.Response.WriteAsync("""{"published":true,"topic":"t","bytes":1}""");
                return;
            }

            var probe = await published.Task.WaitAsync(TimeSpan.FromSeconds(20));
            var answer = JsonSerializer.SerializeToNode(VerifyResultSeeing(request.RootElement.GetProperty("topic").GetString()!, probe), SubscriberJsonContext.Default.VerifyResult)!.AsObject();
            answer["region"] = "eu-south-2";
            answer["items"]![0]!.AsObject()["receivedAtMs"] = 12.5;
            await context.Response.WriteAsync(answer.ToJsonString());
        });

        var run = await CliRun.RunAsync("verify", "--url", Root(newer), "--api-key", ApiKey, "--timeout-seconds", "10");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("OK: probe 'verify-", run.Output, StringComparison.Ordinal);
    }

    private static VerifyResult VerifyResultSeeing(string topic, string probe) => new()
    {
        Topic = topic,
        Condition = "contains",
        ConditionMet = true,
        Subscribed = true,
        SubscribedMs = 3,
        ListenedMs = 40,
        Heartbeats = 1,
        Items = [new VerifyItem { Type = "text", Text = probe, SequenceNumber = 1, SequencePage = 0, PublisherId = "p" }],
        ItemsTruncated = false,
        Discontinuities = [],
    };

    private static string Root(WebApplication app) => app.Urls.First().TrimEnd('/');

    private static async Task<WebApplication> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return app;
    }
}
