using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Functions.Common.Observability;
using Momento.Topics.LocalServer;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using Publisher.Benchmarks.Suites;

namespace Publisher.Benchmarks.Internal;

/// <summary>One modelled network: the round trip to Momento, the extension's round trip to Secrets Manager, and what the process trusts.</summary>
/// <param name="Name">As the tables show it.</param>
/// <param name="RoundTripMs">Function ↔ Momento (the delaying proxy; 0: straight to the server).</param>
/// <param name="SecretsManagerRoundTripMs">Extension ↔ Secrets Manager, which is in the function's own region.</param>
/// <param name="EndpointRootOnly">
/// The .NET processes trust only the endpoint's root (SSL_CERT_DIR names no folder), as the stack's
/// <c>momentoTrustedRoots</c> sets it; otherwise they also load the platform's store, as a deployed function does by default.
/// </param>
internal sealed record NetworkSetting(string Name, double RoundTripMs, double SecretsManagerRoundTripMs, bool EndpointRootOnly = false)
{
    /// <summary>
    /// Loopback, same region (1 ms), cross region (20 ms to Momento; Secrets Manager stays in-region, 1 ms), each with
    /// the platform's trust store; then loopback trusting only the endpoint's root, where that store's cost shows most.
    /// </summary>
    public static readonly NetworkSetting[] All =
    [
        new("loopback", 0, 0),
        new("same-region, 1 ms RTT", 1, 1),
        new("cross-region, 20 ms RTT", 20, 1),
        new("loopback, endpoint's root only", 0, 0, EndpointRootOnly: true),
    ];

    public static NetworkSetting Loopback => All[0];

    public static NetworkSetting SameRegion => All[1];

    public static NetworkSetting CrossRegion => All[2];

    public static NetworkSetting LoopbackRootOnly => All[3];

    /// <summary>The setting whose medians are this one's CPU in its floors: loopback with the same trust.</summary>
    public NetworkSetting Cpu => EndpointRootOnly ? LoopbackRootOnly : Loopback;

    /// <summary>What a cold start must wait for on the network: the key read (a cold extension's three round trips to
    /// Secrets Manager) beside TCP + TLS 1.3 to Momento (two round trips), then the publish (one).</summary>
    public double ColdNetworkMs => Math.Max(SecretsExtensionStandIn.ColdReadRoundTrips * SecretsManagerRoundTripMs, 2 * RoundTripMs) + RoundTripMs;
}

/// <summary>
/// The cold-start suite's network model (issue 17): the local Topics server over TLS behind a delaying proxy, the key
/// read through a Parameters and Secrets extension stand-in, at each <see cref="NetworkSetting"/>; every build and
/// peer measured the same way, each against its floor.
/// </summary>
internal static class NetworkColdStart
{
    public const string TimelineLabel = "AOT, timeline on";

    public static async Task AddToAsync(SuiteResult result, BenchContext context, CancellationToken cancellationToken)
    {
        var builds = new List<(string Label, BootstrapBuild Build, bool Timeline)>();
        if (context.Aot is { } aot)
        {
            builds.Add((aot.Label, aot, false));
            builds.Add((TimelineLabel, aot, true));
        }
        else if (context.Jit is { } jit)
        {
            builds.Add((jit.Label, jit, false));
        }

        builds.AddRange(context.Peers.Select(p => (p.Label, p, false)));
        var runs = context.Sizes.NetworkColdStartRuns;

        await using var server = await LocalTopicsServer.StartAsync(
            new LocalTopicsServerOptions { Port = 0, Caches = [BenchContext.CacheName], Tls = true }, cancellationToken).ConfigureAwait(false);
        var resolver = LocalhostResolver.Build(Path.Combine(context.ArtifactsDirectory, "resolver"));
        var environments = NetworkSetting.All.Select(s => new Environment(s, server, resolver)).ToList();
        try
        {
            var publish = context.Events.PublishText("cold-start-network", "a cold-start publish over the modelled network");
            var phases = environments.ToDictionary(e => e.Setting, _ => builds.ToDictionary(b => b.Label, _ => new ColdStartSuite.Phases(), StringComparer.Ordinal));
            var timelines = environments.ToDictionary(e => e.Setting, _ => new List<TimelineRun>());
            var combos = environments.SelectMany(e => builds.Select(b => (Environment: e, b.Label, b.Build, b.Timeline))).ToList();
            for (var run = 0; run < runs; run++)
            {
                context.Status.Report("modelled network, run", run, runs);
                for (var k = 0; k < combos.Count; k++)
                {
                    var (environment, label, build, timeline) = combos[(run + k) % combos.Count];
                    var measured = await MeasureAsync(build, environment, publish, timeline, phases[environment.Setting][label], cancellationToken).ConfigureAwait(false);
                    if (measured is not null)
                    {
                        timelines[environment.Setting].Add(measured);
                    }
                }
            }

            context.Status.Report("modelled network, run", runs, runs);
            Report(result, builds.Where(b => !b.Timeline).Select(b => b.Label).ToList(), phases, context, runs);
            if (context.Aot is not null)
            {
                AddTimeline(result, timelines);
            }
        }
        finally
        {
            foreach (var environment in environments)
            {
                environment.Dispose();
            }
        }
    }

    private static async Task<TimelineRun?> MeasureAsync(
        BootstrapBuild build, Environment network, string publish, bool timeline, ColdStartSuite.Phases phases, CancellationToken cancellationToken)
    {
        // A fresh execution environment: its extension starts cold too.
        network.Extension.Reset();
        var variables = network.Variables();
        if (timeline)
        {
            variables[StartupTimeline.EnvironmentVariable] = "1";
        }

        await using var bootstrap = await RunningBootstrap.StartAsync(build, network.HostPort, cancellationToken, variables).ConfigureAwait(false);
        var first = await bootstrap.InvokeAsync(publish, cancellationToken).ConfigureAwait(false);
        var warm = await bootstrap.InvokeAsync(publish, cancellationToken).ConfigureAwait(false);
        phases.Init.Add(bootstrap.InitMs);
        phases.First.Add(first.Milliseconds);
        phases.Total.Add(bootstrap.InitMs + first.Milliseconds);
        phases.Warm.Add(warm.Milliseconds);
        return timeline ? TimelineRun.Read(bootstrap, first) : null;
    }

    private static void Report(
        SuiteResult result, IReadOnlyList<string> labels, Dictionary<NetworkSetting, Dictionary<string, ColdStartSuite.Phases>> phases, BenchContext context, int runs)
    {
        var table = new TextTable(
            "network, build (medians, ms)", "init", "first invocation", "floor", "first / floor", "cold total", "floor", "cold / floor", "warm");
        var json = new JsonObject();
        foreach (var setting in NetworkSetting.All)
        {
            var settingJson = new JsonObject { ["roundTripMs"] = setting.RoundTripMs, ["secretsManagerRoundTripMs"] = setting.SecretsManagerRoundTripMs };
            foreach (var label in labels)
            {
                var p = phases[setting][label];
                var cpu = phases[setting.Cpu][label];
                var firstFloor = setting.RoundTripMs + cpu.First.Median;
                var coldFloor = setting.ColdNetworkMs + cpu.Total.Median;
                table.AddRow(
                    setting.Name + ", " + label,
                    Format.Ms(p.Init.Median), Format.Ms(p.First.Median), Format.Ms(firstFloor), Times(p.First.Median / firstFloor),
                    Format.Ms(p.Total.Median), Format.Ms(coldFloor), Times(p.Total.Median / coldFloor), Format.Ms(p.Warm.Median));
                var buildJson = p.ToJson();
                buildJson["firstInvocationFloorMs"] = firstFloor;
                buildJson["coldStartFloorMs"] = coldFloor;
                settingJson[label] = buildJson;
            }

            json[setting.Name] = settingJson;
        }

        result.Tables.Add(table);
        result.Metrics["network"] = json;
        result.Notes.Add(
            $"Modelled network ({runs} fresh processes per build and setting, the order rotating): the local Topics server over TLS " +
            "(its throwaway CA trusted through SSL_CERT_FILE, the certificate validated for cache.localhost) behind a delaying TCP proxy on 127.0.0.1 " +
            "that holds a new connection's bytes for one round trip (the TCP handshake) and every byte for half a round trip each way; the key read " +
            "through a Parameters and Secrets extension stand-in on loopback whose first read pays three round trips to Secrets Manager (TCP, TLS 1.3, " +
            "GetSecretValue: a cold extension has no connection yet), Secrets Manager being in the function's region (1 ms; 0 on loopback). " +
            "The secret holds a v1 API key (its endpoint localhost:PORT, so cache.localhost:PORT, which an LD_PRELOAD getaddrinfo wrapper resolves to 127.0.0.1 for every build, as RFC 6761 has it); the publisher also has MOMENTO_ENDPOINT, as the stack " +
            "sets it with -c momentoEndpoint. Floors: first invocation = one round trip + its loopback median; cold total = max(key read, TCP + TLS) + " +
            "one round trip + the build's loopback median (CPU is what the build takes on loopback, where the network costs nothing). " +
            "The .NET builds trust the platform's store as well (SSL_CERT_DIR unset: OpenSSL's default folder), as a deployed function does, except in " +
            "the last setting, where SSL_CERT_DIR names no folder and they trust only the endpoint's root, as the stack's momentoTrustedRoots sets it. " +
            "Node's grpc-js trusts only the file in GRPC_DEFAULT_SSL_ROOTS_FILE_PATH in every setting.");

        if (!labels.Contains(BootstrapBuild.AotLabel))
        {
            return;
        }

        var (loopback, same, cross, rootOnly) = (NetworkSetting.Loopback, NetworkSetting.SameRegion, NetworkSetting.CrossRegion, NetworkSetting.LoopbackRootOnly);
        double Ratio(NetworkSetting s, string label, Func<ColdStartSuite.Phases, Samples> pick) => pick(phases[s][label]).Median;
        foreach (var setting in new[] { same, cross })
        {
            var aot = phases[setting][BootstrapBuild.AotLabel];
            result.AddRatio($"AOT first invocation / floor, {setting.Name}", aot.First.Median, setting.RoundTripMs + phases[loopback][BootstrapBuild.AotLabel].First.Median, "goal: at most 1.2x");
        }

        result.AddRatio($"AOT cold total / floor, {cross.Name}", Ratio(cross, BootstrapBuild.AotLabel, p => p.Total), cross.ColdNetworkMs + phases[loopback][BootstrapBuild.AotLabel].Total.Median, "goal: at most 1.15x");
        foreach (var peer in context.Peers)
        {
            result.AddRatio($"AOT/{peer.Label} first invocation, {cross.Name}", Ratio(cross, BootstrapBuild.AotLabel, p => p.First), Ratio(cross, peer.Label, p => p.First), "goal against the official SDK: at most 0.5x");
            foreach (var setting in NetworkSetting.All)
            {
                result.AddRatio($"AOT/{peer.Label} cold total, {setting.Name}", Ratio(setting, BootstrapBuild.AotLabel, p => p.Total), Ratio(setting, peer.Label, p => p.Total), "goal against the official SDK: at most 0.9x");
            }

            foreach (var setting in new[] { loopback, rootOnly })
            {
                result.AddRatio($"{peer.Label}/AOT cold total, {setting.Name}", Ratio(setting, peer.Label, p => p.Total), Ratio(setting, BootstrapBuild.AotLabel, p => p.Total), "goal against the Node peer: at least 15x");
            }
        }

        result.Charts.Add(Chart(labels, phases));
    }

    private static void AddTimeline(SuiteResult result, Dictionary<NetworkSetting, List<TimelineRun>> timelines)
    {
        var steps = TimelineSteps.Init.Select(s => ("init", s.Mark, s.Step))
            .Concat(TimelineSteps.FirstInvocation.Select(s => ("first invocation", s.Mark, s.Step))).ToList();
        var table = new TextTable(["AOT timeline, mark (medians, ms: init since the exec, first invocation since its event left)", .. NetworkSetting.All.Select(s => s.Name), "round trips in the step (modelled network)"]);
        foreach (var (phase, mark, step) in steps)
        {
            var cells = new List<string> { phase + ": " + step };
            var any = false;
            foreach (var setting in NetworkSetting.All)
            {
                var ends = new Samples();
                foreach (var run in timelines[setting])
                {
                    if (run.SinceExec.TryGetValue(mark, out var at))
                    {
                        ends.Add(phase == "init" ? at : at - run.EventSentMs);
                    }
                }

                any |= ends.Count > 0;
                cells.Add(ends.Count > 0 ? Format.Ms(ends.Median) : "—");
            }

            cells.Add(RoundTrips.GetValueOrDefault(mark, string.Empty));
            if (any)
            {
                table.AddRow([.. cells]);
            }
        }

        result.Tables.Add(table);
    }

    // Which round trips of the cold path end in which step of the timeline.
    private static readonly Dictionary<string, string> RoundTrips = new(StringComparer.Ordinal)
    {
        ["key read"] = "extension → Secrets Manager: TCP, TLS, GetSecretValue (3 × in-region RTT); beside it, TCP to Momento (1 RTT, the early connection)",
        ["connection open"] = "TCP to Momento if still open (1 RTT from the top of init), then the TLS 1.3 handshake (1 RTT)",
        ["ping answered"] = "Ping (1 RTT)",
        ["publish answered"] = "Publish (1 RTT)",
    };

    private static Chart Chart(IReadOnlyList<string> labels, Dictionary<NetworkSetting, Dictionary<string, ColdStartSuite.Phases>> phases)
    {
        var model = Charts.NewModel("Cold total (init + first invocation) per network, medians, with each build's floor", leftMargin: 190);
        model.Legends.Clear();
        model.Legends.Add(new Legend { LegendPlacement = LegendPlacement.Outside, LegendPosition = LegendPosition.BottomCenter, LegendOrientation = LegendOrientation.Horizontal });
        var categories = new CategoryAxis { Position = AxisPosition.Left, StartPosition = 1, EndPosition = 0 };
        foreach (var setting in NetworkSetting.All)
        {
            categories.Labels.Add(setting.Name);
        }

        model.Axes.Add(categories);
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Bottom, Title = "ms (log scale)", MajorGridlineStyle = LineStyle.Dot, MinorGridlineStyle = LineStyle.None });
        var colors = new[] { OxyColor.FromRgb(0x2b, 0x6c, 0xb0), OxyColor.FromRgb(0xd9, 0x6c, 0x1e), OxyColor.FromRgb(0x3a, 0x9a, 0x4a), OxyColor.FromRgb(0xb0, 0x3a, 0x5b) };
        for (var b = 0; b < labels.Count; b++)
        {
            var offset = (b - ((labels.Count - 1) / 2.0)) * 0.18;
            var color = colors[b % colors.Length];
            var cold = new ScatterSeries { Title = labels[b], MarkerType = MarkerType.Circle, MarkerSize = 5, MarkerFill = color };
            var floor = new ScatterSeries { Title = labels[b] + " floor", MarkerType = MarkerType.Custom, MarkerOutline = [new ScreenPoint(0, -6), new ScreenPoint(0, 6)], MarkerStroke = color, MarkerStrokeThickness = 2, MarkerSize = 1 };
            for (var i = 0; i < NetworkSetting.All.Length; i++)
            {
                var setting = NetworkSetting.All[i];
                cold.Points.Add(new ScatterPoint(phases[setting][labels[b]].Total.Median, i + offset));
                floor.Points.Add(new ScatterPoint(setting.ColdNetworkMs + phases[setting.Cpu][labels[b]].Total.Median, i + offset));
            }

            model.Series.Add(cold);
            model.Series.Add(floor);
        }

        return new Chart("cold-start-network.svg", "Cold start over a modelled network", model, 900, 360);
    }

    private static string Times(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    /// <summary>One setting's proxy and extension, and the environment that points a function at them.</summary>
    private sealed class Environment : IDisposable
    {
        private readonly DelayProxy? _proxy;
        private readonly string _caPath;
        private readonly string _resolver;

        public Environment(NetworkSetting setting, LocalTopicsServer server, string resolver)
        {
            _resolver = resolver;
            Setting = setting;
            _proxy = setting.RoundTripMs > 0 ? DelayProxy.Start(server.Port, setting.RoundTripMs) : null;
            var port = (_proxy?.Port ?? server.Port).ToString(CultureInfo.InvariantCulture);
            Endpoint = "localhost:" + port;
            HostPort = "127.0.0.1:" + port;
            _caPath = server.CaCertificatePath ?? throw new InvalidOperationException("The TLS server wrote no CA certificate.");

            // A v1 API key, as Momento issues them: base64 of {"api_key", "endpoint"}; the local server takes any key.
            var key = Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["api_key"] = "bench-api-key", ["endpoint"] = Endpoint }.ToJsonString()));
            Extension = SecretsExtensionStandIn.Start(key, setting.SecretsManagerRoundTripMs);
        }

        public NetworkSetting Setting { get; }

        public SecretsExtensionStandIn Extension { get; }

        /// <summary>The Momento endpoint (<c>localhost:PORT</c>, whose cache host is <c>cache.localhost:PORT</c>).</summary>
        public string Endpoint { get; }

        public string HostPort { get; }

        public Dictionary<string, string?> Variables()
        {
            var variables = Extension.Environment();
            variables["MOMENTO_LOCAL_ENDPOINT"] = null;
            variables["MOMENTO_ENDPOINT"] = Endpoint;
            variables["SSL_CERT_FILE"] = _caPath;
            // A folder that does not exist: .NET then loads no roots beyond SSL_CERT_FILE (unset, it reads OpenSSL's default folder).
            variables["SSL_CERT_DIR"] = Setting.EndpointRootOnly ? _caPath + ".no-other-roots" : null;
            // Node reads its extra roots from here (SSL_CERT_FILE only with --use-openssl-ca), and grpc-js, which
            // starts from Node's bundled roots rather than the default store, from its own variable.
            variables["NODE_EXTRA_CA_CERTS"] = _caPath;
            variables["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"] = _caPath;
            variables["LD_PRELOAD"] = _resolver;
            return variables;
        }

        public void Dispose()
        {
            _proxy?.Dispose();
            Extension.Dispose();
        }
    }
}
