using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Publisher.Cdk.Internal;

/// <summary>What the machine running the synth can link Native AOT with.</summary>
/// <param name="IsLinux">Native AOT links with a Linux C toolchain; no other OS can build a Linux bootstrap.</param>
/// <param name="Architecture">The host's instruction set.</param>
/// <param name="HasCompiler"><c>gcc</c> or <c>clang</c> on PATH: enough for a bootstrap of the host's own architecture.</param>
/// <param name="HasArm64CrossToolchain">
/// Debian's aarch64 cross toolchain, which <c>src/LambdaFunction.targets</c> links linux-arm64 with on an x64 host:
/// <c>aarch64-linux-gnu-gcc</c> and <c>aarch64-linux-gnu-objcopy</c> on PATH and an arm64 C library it can find.
/// </param>
internal sealed record BuildHost(bool IsLinux, Architecture Architecture, bool HasCompiler, bool HasArm64CrossToolchain)
{
    /// <summary>The Debian/Ubuntu packages that give <see cref="HasArm64CrossToolchain"/>.</summary>
    public const string Arm64CrossPackages = "gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross";

    /// <summary>This machine.</summary>
    public static BuildHost Detect()
    {
        var linux = OperatingSystem.IsLinux();
        var architecture = RuntimeInformation.OSArchitecture;
        return new BuildHost(
            linux,
            architecture,
            OnPath("gcc") || OnPath("clang"),
            linux && architecture == Architecture.X64 && OnPath("aarch64-linux-gnu-gcc") && OnPath("aarch64-linux-gnu-objcopy") && CrossLibcFound());
    }

    private static bool OnPath(string tool)
    {
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
    }

    /// <summary>
    /// The cross gcc alone links nothing without the target's C library (some distributions ship it
    /// without one); gcc answers an absolute path for a start file it can find, else the bare name.
    /// </summary>
    private static bool CrossLibcFound()
    {
        try
        {
            var start = new ProcessStartInfo("aarch64-linux-gnu-gcc", "-print-file-name=crt1.o")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }

            var answer = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && Path.IsPathRooted(answer) && File.Exists(answer);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
