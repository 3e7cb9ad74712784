using System.Net;
using System.Net.Sockets;

namespace Strata.Api.Tests;

/// <summary>Loopback ports for processes the tests start (Prometheus, node-exporter, the service itself).</summary>
internal static class Ports
{
    public static int Free()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
