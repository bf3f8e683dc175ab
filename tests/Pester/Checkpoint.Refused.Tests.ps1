#Requires -Version 7.0
# Incremental pulls (Get-ConfluenceAuditRecord -CheckpointPath) refused: checkpoints that do not fit the site or the
# request, and parameters that make no sense with a checkpoint.
# What the runs delivered is compared, as a multiset of content keys (records have no id; the emulator seeds records
# identical in every field), with what the server holds according to a direct reference listing, so the module is
# never checked against itself. Every scenario prints its figures (runs, records, lost, duplicated) with Write-Host.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Checkpoint.Support.ps1')
}

AfterAll {
    Close-CheckpointTest
}

Describe 'Checkpoints that do not fit, and parameters that make no sense' {
    BeforeAll {
        $script:SitePath = New-CheckpointFile 'site'
        Invoke-Incremental $script:SitePath @{ StartDate = (Get-Date).AddDays(-1) } | Out-Null
    }

    It 'a checkpoint of another site stops with CheckpointSiteMismatch, sends no request and is left untouched' {
        $before = Get-Bytes $script:SitePath
        Clear-ConfluenceAuditEmulatorRequest $script:Other
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:OtherConn -CheckpointPath $script:SitePath }
        $sent = @(Get-ConfluenceAuditEmulatorRequest $script:Other).Count

        # Same host and port, another context path: one host can serve several sites.
        $edited = New-CheckpointFile 'context-path'
        (Get-Content -LiteralPath $script:SitePath -Raw).Replace("`"$($script:Emulator.BaseUri)`"", "`"$($script:Emulator.Url)/confluence`"") | Set-Content -LiteralPath $edited -NoNewline
        $editedBefore = Get-Bytes $edited
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $err2 = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $edited }
        $sent2 = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count
        Write-Host "Site mismatch: other emulator -> '$($err.FullyQualifiedErrorId)' ($sent requests); other context path on the same host -> '$($err2.FullyQualifiedErrorId)' ($sent2 requests)"

        $err.FullyQualifiedErrorId | Should -BeLike 'CheckpointSiteMismatch,*'
        $err.Exception.Message | Should -BeLike "*$($script:Emulator.BaseUri)*"
        $sent | Should -Be 0
        (Get-Bytes $script:SitePath) | Should -Be $before
        $err2.FullyQualifiedErrorId | Should -BeLike 'CheckpointSiteMismatch,*'
        $sent2 | Should -Be 0
        (Get-Bytes $edited) | Should -Be $editedBefore
    }

    It '<Case> stops with CheckpointInvalid, names the file, sends no request and is left untouched' -ForEach @(
        @{ Case = 'a file that is not JSON'; Content = { '{ this is not json' } }
        @{ Case = 'a half-written checkpoint'; Content = { $t = Get-Content -LiteralPath $script:SitePath -Raw; $t.Substring(0, [int]($t.Length / 2)) } }
        @{ Case = 'an empty file'; Content = { '' } }
        @{ Case = 'a JSON file of another kind'; Content = { '{"version":1,"records":[]}' } }
        @{ Case = 'a checkpoint of a future format'; Content = { (Get-Content -LiteralPath $script:SitePath -Raw).Replace('"version": 1', '"version": 99') } }
    ) {
        $path = New-CheckpointFile 'corrupt'
        [IO.File]::WriteAllText($path, (& $Content))
        $before = Get-Bytes $path
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $path -StartDate (Get-Date).AddDays(-1) }
        $sent = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count
        Write-Host "Corrupt ($Case): '$($err.FullyQualifiedErrorId)', requests $sent, file unchanged $((Get-Bytes $path) -eq $before)"

        $err.FullyQualifiedErrorId | Should -BeLike 'CheckpointInvalid,*'
        $err.Exception.Message | Should -BeLike "*$path*"
        $sent | Should -Be 0
        (Get-Bytes $path) | Should -Be $before
        @(Get-Litter $path).Count | Should -Be 0
    }

    It '<Parameter> with -CheckpointPath stops with CheckpointParameterConflict before any request' -ForEach @(
        @{ Parameter = '-EndDate'; Extra = @{ EndDate = (Get-Date) } }
        @{ Parameter = '-First'; Extra = @{ First = 5 } }
        @{ Parameter = '-Skip'; Extra = @{ Skip = 2 } }
        @{ Parameter = '-Last/-Unit'; Extra = @{ Last = 3; Unit = 'Days' } }
    ) {
        $before = Get-Bytes $script:SitePath
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $script:SitePath @Extra }
        $sent = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count
        Write-Host "$Parameter with -CheckpointPath: '$($err.FullyQualifiedErrorId)', requests $sent"

        $err.FullyQualifiedErrorId | Should -BeLike 'CheckpointParameterConflict,*'
        $sent | Should -Be 0
        (Get-Bytes $script:SitePath) | Should -Be $before
    }

    It 'a -SearchString other than the checkpoint''s stops with CheckpointSearchMismatch before any request' {
        $path = New-CheckpointFile 'search'
        $first = Invoke-Incremental $path @{ StartDate = $script:LongAgo; SearchString = 'page' }
        $before = Get-Bytes $path
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $other = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $path -SearchString 'space' }
        $none = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $path }
        $sent = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count
        $same = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $path -SearchString 'page' }
        Write-Host "Search mismatch: first run with 'page' delivered $($first.Count); 'space' -> '$($other.FullyQualifiedErrorId)', none -> '$($none.FullyQualifiedErrorId)', requests $sent; 'page' again -> $(if ($same) { $same.FullyQualifiedErrorId } else { 'ok' })"

        $first.Count | Should -BeGreaterThan 0
        $other.FullyQualifiedErrorId | Should -BeLike 'CheckpointSearchMismatch,*'
        $none.FullyQualifiedErrorId | Should -BeLike 'CheckpointSearchMismatch,*'
        $sent | Should -Be 0
        (Get-Bytes $path) | Should -Not -BeNullOrEmpty
        $same | Should -BeNullOrEmpty
        (Read-Checkpoint $path).searchString | Should -Be 'page'
    }
}
