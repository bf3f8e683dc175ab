#Requires -Version 7.0
# The contract check: the module talks to the emulator through Prism, which validates every request (the
# module's) and every response (the emulator's) against Atlassian's OpenAPI document. With --errors Prism turns
# a violation into an error response, and its log says so; the test scans the log and proves the scan works by
# sending one invalid request on purpose.
#
# What Prism 5.16 logs (learned by sending invalid requests through it):
#   with --errors:    "Request terminated with error: https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY: Invalid request"
#                     "Request terminated with error: https://stoplight.io/prism/errors#VIOLATIONS: Request/Response not valid"
#   without --errors: "[VALIDATOR] ✖  error     Violation: request.query.limit Request query parameter limit must be >= 0"
#   warnings (both):  "[VALIDATOR] ⚠  warning   Violation: response Unable to match the returned status code with those defined in the document: 200,403"

BeforeAll {
    $script:Emulator = $null
    $script:Prism = $null
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    # Any of these in Prism's log means the contract was broken (or Prism refused a request).
    $script:ViolationPattern = 'Violation|not valid|Invalid request|Invalid security|errors#[A-Z_]+|Request terminated with error|Request/Response validation'

    function Get-PrismLog {
        # Prism's log (its standard output, where it reports requests and violations) from the given line on,
        # without colour codes. -ErrorStream reads its standard error instead.
        param([int] $FromLine = 0, [switch] $ErrorStream)
        $file = if ($ErrorStream) { $script:PrismErr } else { $script:PrismOut }
        if (-not (Test-Path -LiteralPath $file)) { return @() }
        @(@(Get-Content -LiteralPath $file) -replace '\x1b\[[0-9;]*m', '' | Select-Object -Skip $FromLine)
    }

    function Get-PrismViolation([int] $FromLine = 0) {
        @(Get-PrismLog -FromLine $FromLine | Where-Object { $_ -match $script:ViolationPattern })
    }

    function Wait-PrismLog([int] $FromLine, [string] $Pattern, [int] $Count, [int] $TimeoutSec = 10) {
        # Prism writes its log asynchronously: wait until $Count lines since $FromLine match $Pattern, then a moment
        # more for the lines that follow them.
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while (@(Get-PrismLog -FromLine $FromLine | Where-Object { $_ -match $Pattern }).Count -lt $Count -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 100
        }
        Start-Sleep -Milliseconds 300
    }

    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession

    $script:ContractPath = Join-Path $script:RepoRoot 'tests/contract/confluence-cloud-v1-audit.openapi.json'
    if (-not (Test-Path -LiteralPath $script:ContractPath)) { throw "The contract is not at $script:ContractPath." }
    $prismCli = Join-Path $script:RepoRoot ('tests/contract/node_modules/.bin/' + $(if ($IsWindows) { 'prism.cmd' } else { 'prism' }))
    if (-not (Test-Path -LiteralPath $prismCli)) { throw "Prism is not installed ($prismCli). Run: npm ci --prefix tests/contract" }

    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '1200'

    $script:PrismFolder = Join-Path ([IO.Path]::GetTempPath()) "ConfluenceAudit.Prism.$PID.$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $script:PrismFolder | Out-Null
    $script:PrismOut = Join-Path $script:PrismFolder 'prism.out.log'
    $script:PrismErr = Join-Path $script:PrismFolder 'prism.err.log'
    $port = Get-FreeTcpPort
    $script:Prism = Start-Process -FilePath $prismCli -PassThru -NoNewWindow `
        -ArgumentList 'proxy', "`"$script:ContractPath`"", $script:Emulator.Url, '-p', "$port", '-h', '127.0.0.1', '--errors' `
        -RedirectStandardOutput $script:PrismOut -RedirectStandardError $script:PrismErr
    $script:PrismUrl = "http://127.0.0.1:$port"

    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not ((Get-PrismLog) -match 'Prism is listening on')) {
        if ($script:Prism.HasExited) { throw "Prism exited with code $($script:Prism.ExitCode): $((Get-PrismLog) -join "`n")" }
        if ([DateTime]::UtcNow -gt $deadline) { throw "Prism did not start listening within 60 s: $((Get-PrismLog) -join "`n")" }
        Start-Sleep -Milliseconds 200
    }
}

AfterAll {
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    if ($script:Prism -and -not $script:Prism.HasExited) {
        Stop-Process -Id $script:Prism.Id -Force -ErrorAction Ignore
        $script:Prism.WaitForExit(10000) | Out-Null
    }
    if ($script:Emulator) { $script:Emulator | Stop-ConfluenceAuditEmulator }
    if ($script:PrismFolder) { Remove-Item -LiteralPath $script:PrismFolder -Recurse -Force -ErrorAction Ignore }
}

Describe 'The module and the emulator honour the OpenAPI contract (through Prism)' {
    BeforeAll {
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $script:FirstLine = (Get-PrismLog).Count
        $through = "$script:PrismUrl/wiki"
        $script:Results = [ordered]@{}

        # Connect both ways, then every listing shape the module sends.
        Connect-ConfluenceAudit -BaseUri $through -Token (Get-ConfluenceAuditEmulatorToken)
        $script:Results['token'] = @(Get-ConfluenceAuditRecord -First 3)
        Connect-ConfluenceAudit -BaseUri $through -Credential (Get-ConfluenceAuditEmulatorCredential)
        $script:Results['all'] = @(Get-ConfluenceAuditRecord -PageSize 500)
        $all = $script:Results['all']
        $script:Results['range'] = @(Get-ConfluenceAuditRecord -StartDate $all[900].CreationDate.UtcDateTime -EndDate $all[100].CreationDate.UtcDateTime -PageSize 300)
        foreach ($unit in 'Minutes', 'Hours', 'HalfDays', 'Days', 'Weeks', 'Months', 'Years') {
            $script:Results["since $unit"] = @(Get-ConfluenceAuditRecord -Last 2 -Unit $unit -PageSize 400)
        }
        $script:Results['search'] = @(Get-ConfluenceAuditRecord -SearchString 'Space permission' -PageSize 100)
        $script:Results['search since'] = @(Get-ConfluenceAuditRecord -SearchString 'zoë' -Last 1 -Unit Years)
        $script:Results['skip first'] = @(Get-ConfluenceAuditRecord -Skip 10 -First 3)

        $script:Requests = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)
        Wait-PrismLog -FromLine $script:FirstLine -Pattern 'Received forward response' -Count $script:Requests.Count
    }

    It 'Prism passed the requests on to the emulator, which answered each with 200' {
        $script:Requests.Count | Should -BeGreaterThan 20
        $script:Requests | ForEach-Object { $_.status | Should -Be 200 }
        $script:Requests.authScheme | Sort-Object -Unique | Should -Be @('Basic', 'Bearer')
        @($script:Requests | Where-Object path -EQ '/wiki/rest/api/audit/since').Count | Should -BeGreaterThan 6
    }

    It 'the listings through Prism are complete' {
        $script:Results['token'].Count | Should -Be 3
        $script:Results['all'].Count | Should -Be (Get-ConfluenceAuditEmulatorRecordCount $script:Emulator)
        $script:Results['range'].Count | Should -BeGreaterThan 700
        $script:Results['since Years'].Count | Should -Be $script:Results['all'].Count
        $script:Results['search'].Count | Should -BeGreaterThan 0
        $script:Results['skip first'].Count | Should -Be 3
    }

    It 'Prism found no violation in any request or response' {
        $violations = Get-PrismViolation -FromLine $script:FirstLine
        $violations | Should -BeNullOrEmpty -Because "Prism's log says:`n$($violations -join "`n")"
        @(Get-PrismLog -ErrorStream | Where-Object { $_ -match $script:ViolationPattern }) | Should -BeNullOrEmpty
        @(Get-PrismLog -FromLine $script:FirstLine | Where-Object { $_ -match 'Forwarding' }).Count | Should -Be $script:Requests.Count
    }
}

Describe 'The violation scan' {
    It 'detects a request that breaks the contract (limit=-1)' {
        $from = (Get-PrismLog).Count
        $response = Invoke-WebRequest -Uri "$script:PrismUrl/wiki/rest/api/audit?limit=-1" -Headers (Get-AdminAuthorizationHeader) -SkipHttpErrorCheck

        $response.StatusCode | Should -Be 422
        Wait-PrismLog -FromLine $from -Pattern 'Request terminated|Violation' -Count 1
        $violations = Get-PrismViolation -FromLine $from
        $violations | Should -Not -BeNullOrEmpty -Because "the scan must see what Prism reports; the log says:`n$((Get-PrismLog -FromLine $from) -join "`n")"
        ($violations -join "`n") | Should -Match 'UNPROCESSABLE_ENTITY|Violation'
    }

    It 'detects a response that breaks the contract (a 401 from /audit/since, which declares only 200 and 403)' {
        $from = (Get-PrismLog).Count
        $wrong = @{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('admin@example.com:not-the-token')) }
        $response = Invoke-WebRequest -Uri "$script:PrismUrl/wiki/rest/api/audit/since?number=1&units=DAYS" -Headers $wrong -SkipHttpErrorCheck

        $response.StatusCode | Should -Be 401
        Wait-PrismLog -FromLine $from -Pattern 'Violation' -Count 1
        $violations = Get-PrismViolation -FromLine $from
        ($violations -join "`n") | Should -Match 'Violation: response' -Because "the log says:`n$((Get-PrismLog -FromLine $from) -join "`n")"
    }

    It 'detects a units value outside the enum on /audit/since' {
        $from = (Get-PrismLog).Count
        $response = Invoke-WebRequest -Uri "$script:PrismUrl/wiki/rest/api/audit/since?number=1&units=days" -Headers (Get-AdminAuthorizationHeader) -SkipHttpErrorCheck

        $response.StatusCode | Should -Be 422
        Wait-PrismLog -FromLine $from -Pattern 'Request terminated|Violation' -Count 1
        Get-PrismViolation -FromLine $from | Should -Not -BeNullOrEmpty
    }
}
