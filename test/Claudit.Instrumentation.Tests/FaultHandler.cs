using Claudit.Mock;

namespace Claudit.Instrumentation.Tests;

/// <summary>Asks the mock for a fault (<c>x-mock-fault</c>) on every attempt.</summary>
public sealed class FaultHandler(string fault) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation(MockFaults.Header, fault);
        return base.SendAsync(request, cancellationToken);
    }
}
