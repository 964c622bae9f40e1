using Claudit.Core.Records;
using Claudit.Server.Budgets;

namespace Claudit.Server;

/// <summary>
/// What <see cref="GatewayAdmission"/> decided before a call is forwarded: the call's tags (a virtual key's
/// added), a refusal to answer instead of forwarding, the policies' reservation and warning, and the body
/// if it was read ahead (the proxy then forwards it from there). <see cref="Abandoned"/>: the caller hung up
/// while its body was being read.
/// </summary>
internal readonly record struct Admission(CallTags Tags)
{
    public GatewayRefusal? Refusal { get; init; }

    public PolicySettlement? Settlement { get; init; }

    public string? Warning { get; init; }

    public BufferedRequestBody? Body { get; init; }

    public bool Abandoned { get; init; }
}
