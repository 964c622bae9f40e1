namespace Claudit.Alerts.Notifications;

/// <summary>One message for one target, ready to send: its body, and what it is about (for logs).</summary>
internal sealed record Notification(byte[] Body, string Rule, string Status);
