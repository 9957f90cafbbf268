using System.CommandLine;
using CommandLineSupport;
using Publisher.DeploymentCheck.Internal;

namespace Publisher.DeploymentCheck;

/// <summary>The deployment checker's command line: <c>verify</c>, for a deployed stack or the local service; <c>cost</c>, each front door's bill and limits.</summary>
public static class DeploymentCheckCli
{
    /// <summary>How the tool is started from a clone, as its help shows it.</summary>
    public const string Invocation = "dotnet run --project src/Publisher.DeploymentCheck --";

    /// <summary>Runs the command line; returns the exit code (0 delivered, 1 not delivered or unreachable, 2 usage or setup error).</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = new RootCommand("Checks a deployed Momento Topics publisher stack (or the local service) end to end, and prices each front door.")
        {
            VerifyCommand.Create(),
            CostCommand.Create(),
        };
        root.HelpName = Invocation;
        return CommandLineRunner.InvokeAsync(root, args, output, error, cancellationToken);
    }
}
