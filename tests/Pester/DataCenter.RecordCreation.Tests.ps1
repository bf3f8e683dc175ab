#Requires -Version 7.0
# New-ConfluenceAuditRecord on Confluence Data Center (the emulator's Data Center mode): record creation through the
# legacy POST.
# Expected results come from the emulator in one direct request (raw JSON, timestamps kept as text), so the module is
# never checked against itself.

BeforeAll {
    . (Join-Path $PSScriptRoot 'DataCenter.Support.ps1')
}

AfterAll {
    Close-DataCenterTest
}

Describe 'New-ConfluenceAuditRecord on Data Center' {
    BeforeAll { Reset-ConfluenceSession }

    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Dc
        Connect-DataCenter | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Dc
    }

    AfterEach { Reset-ConfluenceSession }

    It 'says clearly that a 9.x server cannot create records (its legacy POST answers 405)' {
        $err = Invoke-Captured { New-ConfluenceAuditRecord -RemoteAddress '10.0.0.9' -Summary 'Emulator test' -Confirm:$false -ErrorAction Stop }

        $err.FullyQualifiedErrorId | Should -BeLike 'AuditRecordCreationNotSupported*'
        $requests = @(Get-ApiRequest $script:Dc)
        $requests.Count | Should -Be 1 -Because 'a POST is never retried'
        $requests[0].Method | Should -Be 'POST'
        $requests[0].Path | Should -Be '/confluence/rest/api/audit'
    }

    It 'creates the record through the legacy POST where the server accepts it, with X-Atlassian-Token' {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ dcLegacyPost = $true } | Out-Null
        $summary = 'Created by DataCenter.Tests ' + [guid]::NewGuid().ToString('N')

        $created = New-ConfluenceAuditRecord -RemoteAddress '10.0.0.9' -Summary $summary -Category 'Testing' -Confirm:$false

        $created.Summary | Should -Be $summary
        $post = @(Get-ApiRequest $script:Dc | Where-Object Method -EQ 'POST')
        $post.Count | Should -Be 1
        $post[0].Status | Should -Be 200
        $post[0].AtlassianToken | Should -Be 'no-check'
        @(Get-ConfluenceAuditRecord -Action $summary).Count | Should -Be 1 -Because 'the framework lists the record'
    }
}
