using OxyPlot;

namespace Publisher.Benchmarks.Internal;

/// <summary>One chart of a suite: an OxyPlot model written as <see cref="FileName"/> (SVG) beside results.md.</summary>
/// <param name="FileName">The SVG's file name, such as <c>cold-start.svg</c>.</param>
/// <param name="Title">The link text in results.md.</param>
/// <param name="Model">The plot.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
internal sealed record Chart(string FileName, string Title, PlotModel Model, int Width = 800, int Height = 420);
