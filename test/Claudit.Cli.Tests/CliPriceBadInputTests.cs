namespace Claudit.Cli.Tests;

/// <summary>Bad input to <c>claudit price</c>: exit 2 and one clear line on stderr, never a stack trace.</summary>
public class CliPriceBadInputTests
{
    [Fact]
    public async Task Bare_usage_without_a_model()
    {
        var result = await Cli.RunAsync(["price"], """{"input_tokens":1000,"output_tokens":10}""");

        Cli.AssertBadInput(result, "--model");
    }

    [Fact]
    public async Task Error_body_costs_nothing()
    {
        var result = await Cli.RunAsync(["price"], """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}""");

        Cli.AssertBadInput(result, "errors carry no usage and cost nothing");
        Assert.Contains("overloaded_error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_that_failed_before_any_usage()
    {
        const string stream = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";

        var result = await Cli.RunAsync(["price", "--model", "claude-opus-4-8"], stream);

        Cli.AssertBadInput(result, "nothing was billed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t\r\n")]
    [InlineData("\uFEFF")]
    public async Task Empty_input(string input)
    {
        var result = await Cli.RunAsync(["price", "--model", "claude-opus-4-8"], input);

        Cli.AssertBadInput(result, "the input is empty");
    }

    [Theory]
    [InlineData("hello there", "neither JSON nor an SSE stream")]
    [InlineData("{\"input_tokens\": 12", "not valid JSON")]
    [InlineData("{\"model\":\"claude-opus-4-8\",\"id\":\"msg_1\"}", "the JSON has no usage")]
    public async Task Input_that_is_not_a_response(string input, string message)
    {
        var result = await Cli.RunAsync(["price", "--model", "claude-opus-4-8"], input);

        Cli.AssertBadInput(result, message);
    }

    [Fact]
    public async Task Missing_file()
    {
        using var dir = new TempDirectory();
        var missing = dir.File("response.json");

        var result = await Cli.RunAsync("price", missing);

        Cli.AssertBadInput(result, $"'{missing}' does not exist");
    }

    [Fact]
    public async Task Bad_format_option()
    {
        var result = await Cli.RunAsync(["price", "--format", "yaml"], """{"input_tokens":1}""");

        Cli.AssertBadInput(result, "'yaml'");
    }
}
