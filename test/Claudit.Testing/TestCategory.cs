namespace Claudit.Testing;

/// <summary>
/// The xunit trait that marks slow integration tests — those that start Chromium, Prometheus or
/// promtool, or run for seconds — so that <c>dotnet test --filter "Category!=Integration"</c> gives a
/// fast inner loop (README). CI runs everything.
/// </summary>
public static class TestCategory
{
    public const string Name = "Category";

    public const string Integration = "Integration";
}
