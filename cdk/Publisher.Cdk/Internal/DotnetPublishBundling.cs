using System.Diagnostics;
using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;

namespace Publisher.Cdk.Internal;

/// <summary>
/// CDK local bundling that runs <c>dotnet publish</c> for one function project into the asset folder.
/// It derives from <see cref="DeputyBase"/> because jsii only calls back into .NET objects it can
/// proxy; a plain class is ignored and CDK silently falls back to Docker.
/// </summary>
internal sealed class DotnetPublishBundling : DeputyBase, ILocalBundling
{
    private readonly string projectPath;
    private readonly string runtimeIdentifier;
    private readonly Build build;
    private readonly string artifactsPath;
    private readonly bool awsLambdaPackages;

    /// <summary>What the package holds.</summary>
    public enum Build
    {
        /// <summary>A Native AOT <c>bootstrap</c> for <c>provided.al2023</c>.</summary>
        NativeAot,

        /// <summary>A self-contained JIT <c>bootstrap</c> for <c>provided.al2023</c> (hosts that cannot link Native AOT).</summary>
        SelfContained,

        /// <summary>The framework-dependent assembly a managed .NET runtime runs as an executable assembly (Lambda Managed Instances).</summary>
        FrameworkDependent,
    }

    /// <param name="projectPath">Absolute path of the function's .csproj (TryBundle is not told the asset's source).</param>
    /// <param name="runtimeIdentifier"><c>linux-x64</c> or <c>linux-arm64</c>.</param>
    /// <param name="nativeAot">Native AOT when true, else the self-contained JIT build.</param>
    /// <param name="artifactsPath">
    /// Where the build keeps its bin/ and obj/: apart from the projects' own folders, so a
    /// synth never races a developer's or the test run's build of the same projects.
    /// </param>
    /// <param name="awsLambdaPackages">Build on the official Amazon.Lambda packages instead of the repo's subset.</param>
    public DotnetPublishBundling(string projectPath, string runtimeIdentifier, bool nativeAot, string artifactsPath, bool awsLambdaPackages = false)
        : this(projectPath, runtimeIdentifier, nativeAot ? Build.NativeAot : Build.SelfContained, artifactsPath, awsLambdaPackages)
    {
    }

    /// <summary>Like the overload above, for any kind of <paramref name="build"/>.</summary>
    public DotnetPublishBundling(string projectPath, string runtimeIdentifier, Build build, string artifactsPath, bool awsLambdaPackages = false)
    {
        this.awsLambdaPackages = awsLambdaPackages;
        this.projectPath = projectPath;
        this.runtimeIdentifier = runtimeIdentifier;
        this.build = build;
        this.artifactsPath = artifactsPath;
    }

    /// <summary>The file the managed runtime starts: the executable assembly (Managed Instances), else <c>bootstrap</c>.</summary>
    private string Entry => build == Build.FrameworkDependent ? Path.GetFileNameWithoutExtension(projectPath) + ".dll" : "bootstrap";

    /// <summary>The arguments passed to <c>dotnet</c>, for the log line and for tests.</summary>
    public IReadOnlyList<string> Arguments(string outputDir) =>
    [
        "publish", projectPath,
        "-c", "Release",
        "-r", runtimeIdentifier,
        "-o", outputDir,
        "--artifacts-path", artifactsPath,
        .. build switch
        {
            Build.NativeAot => (string[])["-p:PublishAot=true"],
            Build.SelfContained => ["-p:PublishAot=false", "--self-contained", "true"],
            // No apphost: the runtime starts the assembly with its own dotnet.
            _ => ["-p:PublishAot=false", "--self-contained", "false", "-p:UseAppHost=false"],
        },
        .. awsLambdaPackages ? (string[])["-p:UseAwsLambdaPackages=true"] : [],
        "--nologo",
        "-v", "quiet",
    ];

    public bool TryBundle(string outputDir, IBundlingOptions options)
    {
        var arguments = Arguments(outputDir);
        Console.Error.WriteLine($"Bundling {Path.GetFileNameWithoutExtension(projectPath)}: dotnet {string.Join(' ', arguments)}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // stdout of a CDK app is not part of the CLI protocol, but keeping dotnet's output on
        // stderr keeps `cdk synth` (which prints the template on stdout) clean.
        start.RedirectStandardOutput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"dotnet publish of {projectPath} failed with exit code {process.ExitCode}; see the output above.");
        }

        if (!File.Exists(Path.Combine(outputDir, Entry)))
        {
            throw new InvalidOperationException(build == Build.FrameworkDependent
                ? $"dotnet publish of {projectPath} produced no '{Entry}' in {outputDir}; the managed .NET runtime starts it."
                : $"dotnet publish of {projectPath} produced no 'bootstrap' executable in {outputDir}; provided.al2023 needs one.");
        }

        TrimPackage(outputDir, Path.GetFileNameWithoutExtension(projectPath));
        return true;
    }

    /// <summary>
    /// Drops what Lambda never runs from the package: debug symbols, XML docs, and the
    /// executable under the project's name when <c>bootstrap</c> is its copy.
    /// </summary>
    internal static void TrimPackage(string outputDir, string assemblyName)
    {
        foreach (var pattern in new[] { "*.dbg", "*.pdb", "*.xml" })
        {
            foreach (var file in Directory.EnumerateFiles(outputDir, pattern))
            {
                File.Delete(file);
            }
        }

        var bootstrap = new FileInfo(Path.Combine(outputDir, "bootstrap"));
        var original = new FileInfo(Path.Combine(outputDir, assemblyName));
        if (original.Exists && bootstrap.Exists && original.Length == bootstrap.Length)
        {
            original.Delete();
        }
    }
}
