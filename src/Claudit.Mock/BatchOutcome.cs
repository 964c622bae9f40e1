namespace Claudit.Mock;

/// <summary>How one request of a batch ended: its <c>result.type</c> in the results file.</summary>
internal abstract record BatchOutcome(string Type);

/// <summary>A full Message, with batch-tier usage.</summary>
internal sealed record SucceededOutcome(MessagePlan Message) : BatchOutcome("succeeded");

/// <summary>An error response (<c>{"type":"error","error":{…},"request_id":…}</c>), as the API would have answered the request alone.</summary>
internal sealed record ErroredOutcome(MockError Error, string RequestId) : BatchOutcome("errored");

/// <summary>Not processed: the batch was canceled first.</summary>
internal sealed record CanceledOutcome() : BatchOutcome("canceled");

/// <summary>Not processed before the batch expired (24 hours after creation).</summary>
internal sealed record ExpiredOutcome() : BatchOutcome("expired");
