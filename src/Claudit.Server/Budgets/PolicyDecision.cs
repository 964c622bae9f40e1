namespace Claudit.Server.Budgets;

/// <summary>What the policies said of one call: refuse it, or forward it holding a reservation and perhaps a warning header.</summary>
internal readonly record struct PolicyDecision(GatewayRefusal? Refusal, PolicySettlement? Settlement, string? Warning)
{
    public static PolicyDecision None => default;
}
