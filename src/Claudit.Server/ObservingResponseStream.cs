using Claudit.Core.Capture;

namespace Claudit.Server;

/// <summary>
/// Sits in front of the client's response body: every byte is passed on unchanged and at once, and a
/// copy is shown to the capture — chunk by chunk for SSE, collected up to a cap for JSON bodies.
/// The status and headers are read when the first byte goes out (the proxy has set them by then).
/// </summary>
/// <param name="inner">The client's body.</param>
/// <param name="response">The response, for its status and headers.</param>
/// <param name="capture">The call's capture.</param>
/// <param name="maxBodyBytes">The cap on the JSON body copied for the record.</param>
/// <param name="collectBody">False for bodies that are not an answer to parse as a Message (a batch's results file, read line by line elsewhere).</param>
internal sealed class ObservingResponseStream(Stream inner, HttpResponse response, CallCapture capture, long maxBodyBytes, bool collectBody = true) : TappedWriteStream(inner)
{
    private readonly CaptureBuffer _body = new(maxBodyBytes);
    private bool _started;
    private bool _streaming;

    /// <summary>
    /// Called once the proxy is done: headers of a body-less answer, and the collected JSON body.
    /// When the upstream never answered, the status the proxy wrote (502, 504) is not the API's and is not recorded.
    /// </summary>
    public void Finish(bool upstreamAnswered)
    {
        if (!_started && !upstreamAnswered)
        {
            return;
        }

        Start();
        if (!_streaming && !_body.Span.IsEmpty)
        {
            capture.OnResponseBody(_body.Span);
        }
    }

    protected override void Observe(ReadOnlySpan<byte> chunk)
    {
        Start();
        if (_streaming)
        {
            capture.OnStreamChunk(chunk);
        }
        else if (collectBody)
        {
            _body.Append(chunk);
        }
    }

    private void Start()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        var headers = response.Headers;
        capture.OnResponseHeaders(response.StatusCode, name => headers.TryGetValue(name, out var v) ? v.ToString() : null);
        _streaming = response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
        if (_streaming)
        {
            capture.OnStreamStarted(); // a stream that ends before its first byte is still a stream, cut short
        }
    }

    protected override void Dispose(bool disposing)
    {
        // The response owns the inner stream; only the copy is ours.
        _body.Dispose();
        base.Dispose(disposing);
    }
}
