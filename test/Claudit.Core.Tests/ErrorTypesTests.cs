using Claudit.Core.Anthropic;

namespace Claudit.Core.Tests;

/// <summary>Reference section 4: error types by HTTP status, and which failures the SDKs retry.</summary>
public class ErrorTypesTests
{
    /// <summary>Every row of the reference table: status, error.type, whether the SDKs retry.</summary>
    public static TheoryData<int, string, bool> ReferenceRows => new()
    {
        { 400, "invalid_request_error", false },
        { 401, "authentication_error", false },
        { 402, "billing_error", false },
        { 403, "permission_error", false },
        { 404, "not_found_error", false },
        { 409, "conflict_error", true },
        { 413, "request_too_large", false },
        { 429, "rate_limit_error", true },
        { 500, "api_error", true },
        { 504, "timeout_error", true },
        { 529, "overloaded_error", true },
    };

    [Theory]
    [MemberData(nameof(ReferenceRows))]
    public void Http_status_maps_to_the_reference_error_type(int status, string type, bool retried)
    {
        var mapped = ErrorTypes.FromHttpStatus(status);

        Assert.Equal(type, mapped);
        // A mid-stream error event arrives after HTTP 200: its type alone must decide the same way.
        Assert.Equal(retried, ErrorTypes.IsRetryable(mapped, null));
    }

    [Theory]
    [MemberData(nameof(ReferenceRows))]
    public void Retryable_as_the_sdks_decide(int status, string type, bool retried)
    {
        Assert.Equal(retried, ErrorTypes.IsRetryable(type, status));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(599)]
    public void Sdk_policy_retries_408_and_every_5xx(int status)
    {
        Assert.True(ErrorTypes.IsRetryable(ErrorTypes.FromHttpStatus(status), status));
        Assert.True(ErrorTypes.IsRetryable(ErrorTypes.HttpError, status));
    }

    [Theory]
    [InlineData(405)]
    [InlineData(422)]
    [InlineData(451)]
    public void Other_4xx_are_not_retried(int status)
    {
        Assert.False(ErrorTypes.IsRetryable(ErrorTypes.FromHttpStatus(status), status));
    }

    [Fact]
    public void Other_5xx_are_api_errors_and_unknown_statuses_are_http_errors()
    {
        Assert.Equal(ErrorTypes.Api, ErrorTypes.FromHttpStatus(502));
        Assert.Equal(ErrorTypes.Api, ErrorTypes.FromHttpStatus(503));
        Assert.Equal(ErrorTypes.HttpError, ErrorTypes.FromHttpStatus(418));
    }

    [Theory]
    [InlineData(ErrorTypes.Connection)]
    [InlineData(ErrorTypes.TransportTimeout)]
    public void Connection_errors_and_timeouts_are_retried(string type)
    {
        Assert.True(ErrorTypes.IsRetryable(type, null));
    }

    [Theory]
    [InlineData(ErrorTypes.Canceled)]
    [InlineData(ErrorTypes.ClientClosed)]
    [InlineData(ErrorTypes.HttpError)]
    public void Client_side_ends_are_not_retried(string type)
    {
        Assert.False(ErrorTypes.IsRetryable(type, null));
    }

    [Theory]
    [InlineData("rate_limit_error", "rate_limit_error")]
    [InlineData("overloaded_error", "overloaded_error")]
    [InlineData("stream_truncated", "stream_truncated")]
    [InlineData("http_error", "http_error")]
    [InlineData("some_new_upstream_error", "_OTHER")]
    [InlineData("", "_OTHER")]
    public void Metric_label_values_stay_in_the_taxonomy(string type, string label)
    {
        Assert.Equal(label, ErrorTypes.ForMetrics(type));
    }
}
