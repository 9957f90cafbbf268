using HostArchitecture = System.Runtime.InteropServices.Architecture;
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace Publisher.Cdk.Internal;

/// <summary>Chooses where a function's package comes from: a prebuilt folder, the placeholder, or a local <c>dotnet publish</c>.</summary>
internal static class FunctionCodeFactory
{
    /// <summary>Only used if local bundling declines, which ours never does: it succeeds or throws.</summary>
    public const string FallbackBundlingImage = "public.ecr.aws/sam/build-provided.al2023";

    /// <summary>The bundling build's bin/ and obj/, relative to the repo root (inside this project's obj/, which git ignores).</summary>
    public const string BundlingArtifactsPath = "cdk/Publisher.Cdk/obj/bundling";

    /// <summary>Folder (copied next to the app) with a stand-in <c>bootstrap</c> for synths that skip bundling.</summary>
    public static string PlaceholderDir => Path.Combine(AppContext.BaseDirectory, "placeholder");

    /// <summary>Synth warning id of a function built without Native AOT (acknowledge it with <c>Annotations.Of(stack).AcknowledgeWarning</c>).</summary>
    public const string NonAotWarningId = "publisher:nonAotBuild";

    /// <param name="scope">Where a synth warning about a non-AOT build is attached.</param>
    /// <param name="settings">The stack's settings.</param>
    /// <param name="projectRelativePath">The function project, relative to the repo root, e.g. <c>src/Publisher.Function/Publisher.Function.csproj</c>.</param>
    /// <param name="prebuiltDir">A folder holding a ready <c>bootstrap</c>, or null.</param>
    /// <param name="host">What the synth host can link with; null detects this machine.</param>
    public static Code Create(IConstruct scope, PublisherStackSettings settings, string projectRelativePath, string? prebuiltDir, BuildHost? host = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (prebuiltDir is not null)
        {
            var full = Path.GetFullPath(prebuiltDir);
            if (!File.Exists(Path.Combine(full, "bootstrap")))
            {
                throw new ArgumentException($"The prebuilt folder '{full}' has no 'bootstrap' executable; publish the function into it first.");
            }

            return Code.FromAsset(full);
        }

        if (settings.SkipBundling)
        {
            return Code.FromAsset(PlaceholderDir);
        }

        var root = settings.RepoRoot ?? throw new ArgumentException(
            $"Building the functions needs the repository root: run the app from it (cdk.json is there) or set context '{ContextKeys.RepoRoot}'.");
        var project = Path.GetFullPath(Path.Combine(root, projectRelativePath));
        if (!File.Exists(project))
        {
            throw new ArgumentException($"Function project '{project}' not found; is '{root}' the repository root?");
        }

        if (settings.ManagedInstances)
        {
            // The managed .NET runtime runs the assembly with its own `dotnet`: framework-dependent, no bootstrap.
            return Bundle(project, root, settings, DotnetPublishBundling.Build.FrameworkDependent);
        }

        var build = ChooseBuild(settings, host ?? BuildHost.Detect());
        if (!build.NativeAot)
        {
            Annotations.Of(scope).AddWarningV2(NonAotWarningId, NonAotWarning(Path.GetFileNameWithoutExtension(project), settings, build.NonAotReason!));
        }

        return Bundle(project, root, settings, build.NativeAot ? DotnetPublishBundling.Build.NativeAot : DotnetPublishBundling.Build.SelfContained);
    }

    private static Code Bundle(string project, string root, PublisherStackSettings settings, DotnetPublishBundling.Build build)
    {
        var bundler = new DotnetPublishBundling(
            project, RuntimeIdentifier(settings.Architecture), build, Path.Combine(root, BundlingArtifactsPath), settings.AwsLambdaPackages);
        return Code.FromAsset(Path.GetDirectoryName(project)!, new Amazon.CDK.AWS.S3.Assets.AssetOptions
        {
            // The source folder holds bin/ and obj/, which change with every build; the
            // package itself is what identifies the asset.
            AssetHashType = AssetHashType.OUTPUT,
            Bundling = new BundlingOptions
            {
                Image = DockerImage.FromRegistry(FallbackBundlingImage),
                Local = bundler,
            },
        });
    }

    public static string RuntimeIdentifier(FunctionArchitecture architecture) =>
        architecture == FunctionArchitecture.Arm64 ? "linux-arm64" : "linux-x64";

    /// <summary>
    /// Native AOT unless asked otherwise or the host cannot link it: it needs a Linux host, and gcc or clang for
    /// the host's own architecture, or Debian's aarch64 cross toolchain for arm64 on an x64 host (what
    /// <c>src/LambdaFunction.targets</c> links with). Anything else gets the self-contained JIT build, with the reason.
    /// </summary>
    public static FunctionBuild ChooseBuild(PublisherStackSettings settings, BuildHost host)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(host);
        if (settings.NativeAot is { } forced)
        {
            return forced ? FunctionBuild.Aot : FunctionBuild.WithoutAot($"context '{ContextKeys.NativeAot}' is false");
        }

        if (!host.IsLinux)
        {
            return FunctionBuild.WithoutAot("the synth host is not Linux, and Native AOT links a Linux bootstrap only on Linux");
        }

        var target = settings.Architecture == FunctionArchitecture.Arm64 ? HostArchitecture.Arm64 : HostArchitecture.X64;
        if (host.Architecture == target)
        {
            return host.HasCompiler ? FunctionBuild.Aot : FunctionBuild.WithoutAot("neither gcc nor clang is on PATH to link it");
        }

        if (target == HostArchitecture.Arm64 && host.Architecture == HostArchitecture.X64)
        {
            return host.HasArm64CrossToolchain
                ? FunctionBuild.Aot
                : FunctionBuild.WithoutAot($"linking arm64 on this x64 host needs the aarch64 cross toolchain, which was not found (Debian/Ubuntu: apt-get install {BuildHost.Arm64CrossPackages})");
        }

        return FunctionBuild.WithoutAot($"Native AOT for {target} is not set up on a {host.Architecture} host");
    }

    internal static string NonAotWarning(string function, PublisherStackSettings settings, string reason) =>
        $"{function} is built WITHOUT Native AOT for {RuntimeIdentifier(settings.Architecture)} because {reason}. "
        + "It deploys the self-contained JIT build, whose cold start is many times slower. "
        + (settings.NativeAot == false
            ? $"Drop context '{ContextKeys.NativeAot}=false' to build Native AOT."
            : $"Fix the host, or set context '{ContextKeys.NativeAot}=true' to fail instead of falling back.");
}

/// <summary>How a function package is built: Native AOT, or the self-contained JIT build and why.</summary>
internal sealed record FunctionBuild(bool NativeAot, string? NonAotReason)
{
    public static FunctionBuild Aot { get; } = new(NativeAot: true, NonAotReason: null);

    public static FunctionBuild WithoutAot(string reason) => new(NativeAot: false, reason);
}
