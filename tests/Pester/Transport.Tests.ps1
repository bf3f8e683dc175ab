#Requires -Version 7.0
# The network side of Connect-ConfluenceAudit: -SkipCertificateCheck against the emulator serving HTTPS with a
# self-signed certificate (--https), and -Proxy / -ProxyCredential through a small forward proxy defined here.

BeforeAll {
    $script:Emulator = $null
    $script:TlsEmulator = $null
    $script:Proxy = $null
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession
    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '20'
    $script:TlsEmulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '20', '--https'

    # A forward HTTP proxy for http:// targets only (no CONNECT): one request per connection, absolute-URI request
    # line, Basic Proxy-Authorization checked when a user is set (407 with a Basic challenge otherwise, which is what
    # makes HttpClient send its proxy credentials), the request forwarded in origin form and the response relayed.
    # Every request it receives is logged.
    if (-not ('ConfluenceAuditTests.ForwardProxy' -as [type])) {
        Add-Type -TypeDefinition @'
using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace ConfluenceAuditTests
{
    public sealed class ProxyRequest
    {
        public string Method { get; set; }
        public string Target { get; set; }
        public bool HadProxyAuthorization { get; set; }
        public bool Authorized { get; set; }
        public bool ForwardedProxyAuthorization { get; set; }
        public int Status { get; set; }
    }

    public sealed class ForwardProxy : IDisposable
    {
        private readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly string expected;

        public ForwardProxy(string user, string password)
        {
            if (user != null) expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            Task.Run(AcceptLoop);
        }

        public int Port { get; }
        public Uri Uri => new Uri("http://127.0.0.1:" + Port);
        public ConcurrentQueue<ProxyRequest> Requests { get; } = new ConcurrentQueue<ProxyRequest>();

        public void Dispose() => listener.Stop();

        private async Task AcceptLoop()
        {
            while (true)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(); }
                catch (Exception) { return; }
                _ = Task.Run(async () =>
                {
                    try { await HandleAsync(client); }
                    catch (Exception) { }
                    finally { client.Dispose(); }
                });
            }
        }

        private async Task HandleAsync(TcpClient client)
        {
            NetworkStream stream = client.GetStream();
            string head = await ReadHeadAsync(stream);
            if (head == null) return;
            string[] lines = head.Split(new[] { "\r\n" }, StringSplitOptions.None);
            string[] requestLine = lines[0].Split(' ');
            var entry = new ProxyRequest { Method = requestLine[0], Target = requestLine.Length > 1 ? requestLine[1] : "" };
            var forward = new StringBuilder();
            string authorization = null;
            long contentLength = 0;
            for (int i = 1; i < lines.Length; i++)
            {
                int colon = lines[i].IndexOf(':');
                if (colon <= 0) continue;
                string name = lines[i].Substring(0, colon).Trim();
                string value = lines[i].Substring(colon + 1).Trim();
                if (name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)) { authorization = value; continue; }
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) long.TryParse(value, out contentLength);
                if (name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)) continue;
                forward.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            entry.HadProxyAuthorization = authorization != null;
            entry.Authorized = expected == null || authorization == expected;
            Requests.Enqueue(entry);
            if (!entry.Authorized)
            {
                entry.Status = 407;
                await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"transport tests\"\r\n" +
                    "Content-Type: text/plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }

            Uri target;
            if (!Uri.TryCreate(entry.Target, UriKind.Absolute, out target) || target.Scheme != Uri.UriSchemeHttp)
            {
                entry.Status = 400;
                await WriteAsync(stream, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }

            using (var upstream = new TcpClient())
            {
                await upstream.ConnectAsync(target.Host, target.Port);
                NetworkStream up = upstream.GetStream();
                await WriteAsync(up, entry.Method + " " + target.PathAndQuery + " HTTP/1.1\r\n" + forward + "Connection: close\r\n\r\n");
                var body = new byte[8192];
                while (contentLength > 0)
                {
                    int n = await stream.ReadAsync(body, 0, (int)Math.Min(body.Length, contentLength));
                    if (n == 0) break;
                    await up.WriteAsync(body, 0, n);
                    contentLength -= n;
                }

                // The server closes after its answer (Connection: close), and that closing header reaches the client.
                var response = new MemoryStream();
                await up.CopyToAsync(response);
                string statusLine = Encoding.ASCII.GetString(response.GetBuffer(), 0, (int)Math.Min(response.Length, 64));
                int status;
                string[] parts = statusLine.Split(' ');
                entry.Status = parts.Length > 1 && int.TryParse(parts[1], out status) ? status : 0;
                response.Position = 0;
                await response.CopyToAsync(stream);
            }
        }

        private static async Task<string> ReadHeadAsync(NetworkStream stream)
        {
            // Byte by byte, so nothing of a body is read past the blank line.
            var head = new MemoryStream();
            var one = new byte[1];
            while (head.Length < 65536)
            {
                if (await stream.ReadAsync(one, 0, 1) == 0) return null;
                head.WriteByte(one[0]);
                long n = head.Length;
                byte[] b = head.GetBuffer();
                if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n')
                {
                    return Encoding.ASCII.GetString(b, 0, (int)n - 4);
                }
            }

            return null;
        }

        private static Task WriteAsync(Stream stream, string text)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            return stream.WriteAsync(bytes, 0, bytes.Length);
        }
    }
}
'@
    }

    $script:ProxyUser = 'proxy-user'
    $script:ProxyPassword = 'proxy-pass-Zq81xTransport'
    $script:Proxy = [ConfluenceAuditTests.ForwardProxy]::new($script:ProxyUser, $script:ProxyPassword)
    $script:ProxyCredential = [pscredential]::new($script:ProxyUser, (ConvertTo-SecureString $script:ProxyPassword -AsPlainText -Force))

    function Get-ProxyRequest { @($script:Proxy.Requests.ToArray()) }
    function Clear-ProxyRequest { $item = $null; while ($script:Proxy.Requests.TryDequeue([ref] $item)) { } }
}

AfterAll {
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    if ($script:Proxy) { $script:Proxy.Dispose() }
    if ($script:Emulator) { $script:Emulator | Stop-ConfluenceAuditEmulator }
    if ($script:TlsEmulator) { $script:TlsEmulator | Stop-ConfluenceAuditEmulator }
}

Describe 'The emulator with --https' {
    It 'prints and returns https addresses' {
        $script:TlsEmulator.Url | Should -Match '^https://127\.0\.0\.1:\d+$'
        $script:TlsEmulator.BaseUri | Should -Be "$($script:TlsEmulator.Url)/wiki"
    }
}

Describe 'Connect-ConfluenceAudit over https with a self-signed certificate' {
    BeforeEach {
        Reset-ConfluenceSession
        Clear-ConfluenceAuditEmulatorRequest $script:TlsEmulator
    }

    It 'fails without -SkipCertificateCheck with ConfluenceConnectionFailed about the certificate, and nothing reaches the API' {
        $err = Invoke-Captured { Connect-ConfluenceAudit -BaseUri $script:TlsEmulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -MaximumRetryCount 0 }

        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'ConfluenceConnectionFailed,*'
        $err.Exception.Message | Should -Match 'certificate|SSL|TLS'
        @(Get-ConfluenceAuditEmulatorRequest $script:TlsEmulator).Count | Should -Be 0 -Because 'the TLS handshake failed before any HTTP request'
        Get-ConfluenceAuditConnection -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'does not retry a certificate failure (it cannot heal) and names -SkipCertificateCheck as the way out' {
        $err = Invoke-Captured { Connect-ConfluenceAudit -BaseUri $script:TlsEmulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -RetryIntervalSec 0 }

        $err.FullyQualifiedErrorId | Should -BeLike 'ConfluenceConnectionFailed,*'
        $err.Exception.Message | Should -Not -Match 'Gave up after \d+ attempts' -Because 'an untrusted certificate stays untrusted: retrying only delays the error'
        $err.Exception.Message | Should -Match 'SkipCertificateCheck' -Because 'the message says what to do next'
    }

    It 'connects with -SkipCertificateCheck, warns, shows it on the connection and lists records' {
        $connection = Connect-ConfluenceAudit -BaseUri $script:TlsEmulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -SkipCertificateCheck -PassThru -WarningVariable warnings -WarningAction SilentlyContinue

        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'certificate'
        $connection.SkipCertificateCheck | Should -BeTrue
        $connection.BaseUri.Scheme | Should -Be 'https'
        $connection.Proxy | Should -BeNullOrEmpty

        $records = @(Get-ConfluenceAuditRecord -First 5)
        $records.Count | Should -Be 5
        $requests = @(Get-ConfluenceAuditEmulatorRequest $script:TlsEmulator)
        $requests.Count | Should -BeGreaterOrEqual 2
        $requests.status | Sort-Object -Unique | Should -Be 200
    }

    It 'leaves the certificate check on for a connection made without the switch' {
        $connection = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -PassThru -WarningVariable warnings
        @($warnings).Count | Should -Be 0
        $connection.SkipCertificateCheck | Should -BeFalse
    }
}

Describe 'Connect-ConfluenceAudit -Proxy' {
    BeforeEach {
        Reset-ConfluenceSession
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        Clear-ProxyRequest
    }

    It 'sends every request through the proxy, with -ProxyCredential as Proxy-Authorization' {
        $connection = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -Proxy $script:Proxy.Uri -ProxyCredential $script:ProxyCredential -PassThru
        $connection.Proxy | Should -Be $script:Proxy.Uri
        @(Get-ConfluenceAuditRecord -First 3).Count | Should -Be 3

        $seen = Get-ProxyRequest
        $forwarded = @($seen | Where-Object Authorized)
        $forwarded.Count | Should -BeGreaterOrEqual 2
        $forwarded | ForEach-Object { $_.Target | Should -BeLike "$($script:Emulator.BaseUri)/rest/*" }
        $forwarded.Status | Sort-Object -Unique | Should -Be 200
        $forwarded.HadProxyAuthorization | Sort-Object -Unique | Should -BeTrue
        # Every request the emulator answered came through the proxy.
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count | Should -Be $forwarded.Count
    }

    It 'fails clearly when the proxy wants credentials and none were given, and the request never reaches Confluence' {
        $err = Invoke-Captured { Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -Proxy $script:Proxy.Uri }

        $err | Should -Not -BeNullOrEmpty
        @(Get-ProxyRequest).Status | Sort-Object -Unique | Should -Be 407
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count | Should -Be 0
        $err.Exception.Message | Should -Match '407'
        $err.Exception.Message | Should -Match 'proxy' -Because 'the proxy refused the request, not Confluence: the message must say so and point at -ProxyCredential'
        Get-ConfluenceAuditConnection -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'never writes the proxy password, with -Verbose and -Debug, on success or on a wrong password' {
        $secret = $script:ProxyPassword
        $encoded = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($script:ProxyUser):$secret"))
        $output = @(
            Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -Proxy $script:Proxy.Uri -ProxyCredential $script:ProxyCredential -PassThru -Verbose -Debug *>&1
            Get-ConfluenceAuditRecord -First 2 -Verbose -Debug *>&1
        )
        $connection = Get-ConfluenceAuditConnection
        $wrong = [pscredential]::new($script:ProxyUser, (ConvertTo-SecureString "$secret-wrong" -AsPlainText -Force))
        $err = Invoke-Captured { Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -Proxy $script:Proxy.Uri -ProxyCredential $wrong -Verbose -Debug *>&1 | Out-Null }
        $err | Should -Not -BeNullOrEmpty -Because 'the proxy refuses a wrong password'

        $text = @(
            $output | ForEach-Object { "$_" }
            $output | Out-String
            $connection | Format-List * -Force | Out-String
            $connection | ConvertTo-Json -Depth 5 -WarningAction Ignore
            $err | Format-List * -Force | Out-String
            $err.Exception | Format-List * -Force | Out-String
            "$($err.ErrorDetails)"
        ) -join "`n"
        @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
        $text | Should -Not -Match ([regex]::Escape($secret))
        $text | Should -Not -Match ([regex]::Escape($encoded))
    }
}

Describe 'Connect-ConfluenceAudit proxy parameters refused before any request' {
    BeforeEach {
        Reset-ConfluenceSession
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        Clear-ProxyRequest
    }

    It '-ProxyCredential without -Proxy fails with ConfluenceProxyMissing' {
        $err = Invoke-Captured { Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -ProxyCredential $script:ProxyCredential }

        $err.FullyQualifiedErrorId | Should -Be 'ConfluenceProxyMissing,ConfluenceAudit.Commands.ConnectConfluenceAuditCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count | Should -Be 0
        @(Get-ProxyRequest).Count | Should -Be 0
    }

    It '-Proxy <Proxy> fails with ConfluenceProxyInvalid' -TestCases @(
        @{ Proxy = 'proxy.example.com' }
        @{ Proxy = '/relative/proxy' }
        @{ Proxy = 'ftp://proxy.example.com:21' }
    ) {
        param($Proxy)
        $err = Invoke-Captured { Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -Proxy $Proxy }

        $err.FullyQualifiedErrorId | Should -Be 'ConfluenceProxyInvalid,ConfluenceAudit.Commands.ConnectConfluenceAuditCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count | Should -Be 0
    }
}
