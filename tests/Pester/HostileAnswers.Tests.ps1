#Requires -Version 7.0
# Answers outside the contract and request economy, against the emulator. The emulator's 'body' fault serves a
# given body with status 200 (a proxy's page, a half-deployed server, a bug upstream): each shape must end the
# listing with a clear error, quickly, with the records already written kept. The request counts come from the
# emulator's own log.

BeforeAll {
    $script:Emulator = $null
    $script:Small = $null
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession

    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '3000', '--max-limit', '1000'
    $script:Small = Start-ConfluenceAuditEmulator -ArgumentList '--records', '40'
    $script:Secrets = @(Get-ConfluenceAuditEmulatorSecret | Where-Object { $_ })

    function Connect-Target($Target) {
        Connect-ConfluenceAudit -BaseUri $Target.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -MaximumRetryCount 2 -RetryIntervalSec 1
    }

    function Set-BodyFault {
        # Every GET of -Path answers 200 with this body, after -Skip good answers (by default one: the connection's check).
        param([string] $Body, [string] $ContentType = 'application/json;charset=UTF-8', [int] $Skip = 1, $Target = $script:Emulator, [string] $Path = '/wiki/rest/api/audit')
        Clear-ConfluenceAuditEmulatorRequest $Target
        $settings = @{ Path = $Path; Method = 'GET'; Body = $Body; BodyContentType = $ContentType; FailureRate = 1; Kinds = 'body' }
        $settings.Queue = @('none') * $Skip
        Set-ConfluenceAuditEmulatorFault -Emulator $Target -Settings $settings | Out-Null
    }

    function Get-PageRequest($Target = $script:Emulator) {
        # The listing's page requests: the connection's check (limit=1, before any listing) is not counted.
        @(Get-ConfluenceAuditEmulatorRequest $Target | Where-Object { $_.method -eq 'GET' -and $_.path -like '/wiki/rest/api/audit*' -and $_.query -notmatch '(^|&)limit=1(&|$)' })
    }

    function Invoke-Listing {
        # Runs the command in a runspace of its own with the built module connected to the target, and returns the
        # records written and the errors. A listing that loops is stopped after 30 s and fails the test.
        param([Parameter(Mandatory)] [scriptblock] $Command, $Target = $script:Emulator, [int] $MaxConcurrency = 4, [object[]] $ArgumentList = @())
        $runspace = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault2())
        $runspace.Open()
        $shell = [powershell]::Create()
        $shell.Runspace = $runspace
        try {
            $null = $shell.AddScript({
                    param($Manifest, $BaseUri, $Credential, $MaxConcurrency, $Command, $ArgumentList)
                    Import-Module $Manifest -ErrorAction Stop
                    Connect-ConfluenceAudit -BaseUri $BaseUri -Credential $Credential -MaxConcurrency $MaxConcurrency -MaximumRetryCount 2 -RetryIntervalSec 0 -ErrorAction Stop
                    # Records and errors as they stream, also when an error stops the command.
                    $all = [System.Collections.Generic.List[object]]::new()
                    try { & ([scriptblock]::Create($Command)) @ArgumentList 2>&1 | ForEach-Object { $all.Add($_) } }
                    catch { $all.Add($_) }
                    [pscustomobject]@{
                        Records = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
                        Errors  = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
                    }
                }).AddArgument((Join-Path (Get-TestModulePath) 'ConfluenceAudit.psd1')).AddArgument($Target.BaseUri).AddArgument((Get-ConfluenceAuditEmulatorCredential)).AddArgument($MaxConcurrency).AddArgument($Command.ToString()).AddArgument($ArgumentList)
            $async = $shell.BeginInvoke()
            if (-not $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(30))) { $shell.Stop(); throw 'The listing did not end within 30 seconds.' }
            $result = $shell.EndInvoke($async)
            if ($result.Count -ne 1) { throw "The listing shell failed: $($shell.Streams.Error | Out-String)" }
            $result[0]
        }
        finally { $shell.Dispose(); $runspace.Dispose() }
    }
}

AfterAll {
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    foreach ($emulator in $script:Emulator, $script:Small) { if ($emulator) { Clear-ConfluenceAuditEmulatorFault $emulator; $emulator | Stop-ConfluenceAuditEmulator } }
}

Describe 'Answers outside the contract' {
    AfterEach { foreach ($emulator in $script:Emulator, $script:Small) { Clear-ConfluenceAuditEmulatorFault $emulator } }

    It 'ends "<Name>" with ConfluenceInvalidResponse after at most 2 requests, with the URL and no secret' -ForEach @(
        @{ Name = 'results holding null'; Body = '{"results":[null],"start":0,"limit":1000,"size":1}' }
        @{ Name = 'results holding an empty object'; Body = '{"results":[{}],"start":0,"limit":1000,"size":1}' }
        @{ Name = 'a date that is a word'; Body = '{"results":[{"creationDate":"yesterday","summary":"x"}],"start":0,"limit":1000,"size":1}' }
        @{ Name = 'an author that is an array'; Body = '{"results":[{"creationDate":1772446500125,"author":[1,2]}],"start":0,"limit":1000,"size":1}' }
        @{ Name = 'a body cut off'; Body = '{"results":[{"creationDate":1772446500125,"summary":"Space perm' }
        @{ Name = 'an HTML page labelled JSON'; Body = '<!DOCTYPE html><html><body>Bad gateway</body></html>' }
        @{ Name = 'a proxy''s HTML error page'; Body = '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>'; ContentType = 'text/html' }
        @{ Name = 'a body nested too deep'; Body = '{"results":[],"x":' + ('[' * 100) + '1' + (']' * 100) + '}' }
    ) {
        Set-BodyFault -Body $Body -ContentType $(if ($_.ContainsKey('ContentType')) { $_.ContentType } else { 'application/json;charset=UTF-8' })

        $run = Invoke-Listing { Get-ConfluenceAuditRecord -First 5 }

        $run.Records | Should -BeNullOrEmpty -Because 'a record that never existed must not reach the pipeline'
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ConfluenceInvalidResponse,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $run.Errors[0].Exception.Message | Should -BeLike '*GET http://127.0.0.1:*/wiki/rest/api/audit?*'
        foreach ($secret in $script:Secrets) { $run.Errors[0].Exception.Message | Should -Not -BeLike "*$secret*" }
        @(Get-PageRequest).Count | Should -BeLessOrEqual 2
    }

    It 'takes a login page with status 200 for what it is: the request was taken as anonymous' {
        Set-BodyFault -Body '<!DOCTYPE html><html><head><title>Log in - Confluence</title></head><body><form action="/dologin.action"></form></body></html>' -ContentType 'text/html;charset=UTF-8'

        $run = Invoke-Listing { Get-ConfluenceAuditRecord -First 5 }

        $run.Records | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ConfluenceUnexpectedResponse,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        @(Get-PageRequest).Count | Should -BeLessOrEqual 2
    }

    It 'keeps the records written before a malformed page' {
        Set-BodyFault -Body '{"results":[null],"start":0,"limit":1000,"size":1}' -Skip 2

        $run = Invoke-Listing { Get-ConfluenceAuditRecord } -MaxConcurrency 1

        $run.Records.Count | Should -Be 1000
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ConfluenceInvalidResponse,*'
    }

    It 'never moves a checkpoint past what was delivered when a window is malformed' {
        $path = Join-Path $TestDrive 'hostile.checkpoint'
        $start = [DateTimeOffset]::UtcNow.AddDays(-400)
        Set-BodyFault -Body '{"results":[{}],"start":0,"limit":1000,"size":1}'

        $run = Invoke-Listing { param($Path, $Start) Get-ConfluenceAuditRecord -CheckpointPath $Path -StartDate $Start } -ArgumentList $path, $start.UtcDateTime

        $run.Records | Should -BeNullOrEmpty
        ($run.Errors | ForEach-Object FullyQualifiedErrorId) -join ' ' | Should -BeLike '*ConfluenceInvalidResponse*'
        if (Test-Path -LiteralPath $path) {
            $checkpoint = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json
            [long]$checkpoint.positionEpochMs | Should -BeLessOrEqual ($start.ToUnixTimeMilliseconds() + 1000)
        }
    }

    It 'ends a -Follow run on a malformed answer, after handing on the records before it, with the checkpoint just past them' {
        # A first run sets the checkpoint; 3 records arrive; the follow's first poll (2 requests after the connection's
        # check) hands them on, and every later poll gets a page holding an empty object.
        $path = Join-Path $TestDrive 'hostile-follow.checkpoint'
        Connect-Target $script:Small
        @(Get-ConfluenceAuditRecord -CheckpointPath $path -StartDate (Get-Date).AddDays(-400)).Count | Should -Be 40
        $null = Add-ConfluenceAuditEmulatorRecord -Emulator $script:Small -Count 3
        try {
            Set-BodyFault -Body '{"results":[{}],"start":0,"limit":1000,"size":1}' -Skip 3 -Target $script:Small

            $run = Invoke-Listing { param($Path) Get-ConfluenceAuditRecord -CheckpointPath $Path -Follow -PollIntervalSec 1 } -Target $script:Small -ArgumentList $path

            $run.Records.Count | Should -Be 3
            $run.Errors.Count | Should -Be 1 -Because 'the follow ends at the first answer it cannot read instead of failing every poll'
            $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ConfluenceInvalidResponse,*'
            $newest = [DateTimeOffset]($run.Records | Measure-Object -Property CreationDate -Maximum).Maximum
            $checkpoint = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json
            # The end of the poll that handed them on; the failed poll, a second later, moved nothing.
            [long]$checkpoint.positionEpochMs | Should -BeGreaterOrEqual $newest.ToUnixTimeMilliseconds()
            [long]$checkpoint.positionEpochMs | Should -BeLessThan ($newest.ToUnixTimeMilliseconds() + 1000)
        }
        finally { Reset-ConfluenceAuditEmulator $script:Small }
    }

    It 'ends Get-ConfluenceAuditRetention on "<Name>" with ConfluenceInvalidResponse' -ForEach @(
        @{ Name = 'a number that is a word'; Body = '{"number":"three","units":"MONTHS"}' }
        @{ Name = 'units the API has not'; Body = '{"number":3,"units":"FORTNIGHTS"}' }
        @{ Name = 'an array'; Body = '[3,"MONTHS"]' }
        @{ Name = 'a proxy''s HTML error page'; Body = '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>'; ContentType = 'text/html' }
    ) {
        Set-BodyFault -Path '/wiki/rest/api/audit/retention' -Skip 0 -Body $Body -ContentType $(if ($_.ContainsKey('ContentType')) { $_.ContentType } else { 'application/json' })

        $run = Invoke-Listing { Get-ConfluenceAuditRetention }

        $run.Records | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ConfluenceInvalidResponse,*'
        $run.Errors[0].Exception.Message | Should -BeLike '*/wiki/rest/api/audit/retention*'
    }

    It 'ends a server that ignores start with ConfluencePagingStalled within a few requests' {
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        Set-ConfluenceAuditEmulatorFault -Emulator $script:Emulator -Settings @{ IgnoreStart = $true } | Out-Null

        $run = Invoke-Listing { Get-ConfluenceAuditRecord -PageSize 100 }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ConfluencePagingStalled,*'
        $run.Records.Count | Should -Be 100
        @(Get-PageRequest).Count | Should -BeLessOrEqual 8
    }
}

Describe 'Request economy (the emulator''s log)' {
    BeforeEach { Reset-ConfluenceSession }

    It 'a listing whose first page is short ends after at most 2 requests' {
        Connect-Target $script:Small
        Clear-ConfluenceAuditEmulatorRequest $script:Small

        $records = @(Get-ConfluenceAuditRecord)

        $records.Count | Should -Be 40
        @(Get-PageRequest $script:Small).Count | Should -BeLessOrEqual 2
    }

    It 'an incremental run with nothing new costs at most 2 requests' {
        Connect-Target $script:Small
        $path = Join-Path $TestDrive 'economy.checkpoint'
        $first = @(Get-ConfluenceAuditRecord -CheckpointPath $path -StartDate (Get-Date).AddDays(-400))
        $first.Count | Should -Be 40
        Clear-ConfluenceAuditEmulatorRequest $script:Small

        $again = @(Get-ConfluenceAuditRecord -CheckpointPath $path)

        $again.Count | Should -Be 0
        @(Get-PageRequest $script:Small).Count | Should -BeLessOrEqual 2
    }

    It '3,000 records at a cap of 1,000 cost at most 7 requests, none sent twice, at most MaxConcurrency - 1 past the end' {
        Connect-Target $script:Emulator
        (Get-ConfluenceAuditConnection).MaxConcurrency | Should -Be 4
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator

        $records = @(Get-ConfluenceAuditRecord)

        $records.Count | Should -Be 3000
        $requests = @(Get-PageRequest)
        $requests.Count | Should -BeLessOrEqual 7
        @($requests.query | Sort-Object -Unique).Count | Should -Be $requests.Count -Because 'no request is sent twice'
        $pastTheEnd = @($requests | Where-Object { [int](ConvertFrom-QueryString $_.query)['start'] -ge 3000 })
        $pastTheEnd.Count | Should -BeLessOrEqual 3
    }
}
