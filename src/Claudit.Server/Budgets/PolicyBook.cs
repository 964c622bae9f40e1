using Claudit.Server.Keys;

namespace Claudit.Server.Budgets;

/// <summary>Every policy in force: the policy file's (and <c>--daily-budget</c>'s), and the own budget and rate limit of each usable virtual key.</summary>
internal sealed class PolicyBook(PolicySet file, VirtualKeyRing keys)
{
    public PolicySet File => file;

    public IEnumerable<Policy> Active(DateTimeOffset now) =>
        file.Policies.Concat(keys.All.Where(k => k.IsActive(now)).SelectMany(k => k.Policies));
}
