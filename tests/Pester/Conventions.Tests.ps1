#Requires -Version 7.0
# Conventions every cmdlet of the BUILT module keeps, checked on whatever it exports (nothing here names a cmdlet, so a
# new one is held to them too): it declares what it writes ([OutputType]), and a cmdlet that changes something on the
# server or on disk supports -WhatIf and -Confirm (SupportsShouldProcess).
# What counts as a change goes by the verb. Get only reads; Connect and Disconnect change nothing but the session's
# default connection (Connect's one request is a read, to check the credentials), so -WhatIf could spare nothing there.
# Every other verb (today New, Set and Export; tomorrow Remove, Add, Clear, ...) is taken to change something.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    # The exported cmdlets, from the built manifest (importing the module is left to BeforeAll).
    $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path (Get-TestModulePath) 'ConfluenceAudit.psd1')
    $script:ReadOrSessionVerbs = 'Get', 'Connect', 'Disconnect'
    $script:Cmdlets = @($manifest.CmdletsToExport | ForEach-Object {
            @{ Name = $_; Changes = ($_ -split '-', 2)[0] -notin $script:ReadOrSessionVerbs }
        })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:ManifestCmdlets = @((Import-PowerShellDataFile -LiteralPath (Join-Path (Get-TestModulePath) 'ConfluenceAudit.psd1')).CmdletsToExport)
}

Describe 'The cmdlets the module exports' {
    It 'are the ones its manifest lists, so the checks below see every one' {
        $exported = @(Get-Command -Module ConfluenceAudit -CommandType Cmdlet | ForEach-Object Name | Sort-Object)
        $exported.Count | Should -BeGreaterThan 0
        $exported | Should -Be @($script:ManifestCmdlets | Sort-Object)
    }
}

Describe '<Name>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Command = Get-Command -Name $Name -Module ConfluenceAudit -CommandType Cmdlet
    }

    It 'declares an [OutputType]' {
        @($script:Command.OutputType).Count | Should -BeGreaterThan 0 -Because 'every cmdlet says what it writes, [OutputType(typeof(void))] when nothing'
    }

    It 'supports -WhatIf and -Confirm when its verb changes something, and only then' {
        $parameters = $script:Command.Parameters.Keys
        if ($Changes) {
            $parameters | Should -Contain 'WhatIf' -Because "$Name changes something on the server or on disk: SupportsShouldProcess"
            $parameters | Should -Contain 'Confirm'
        }
        else {
            $parameters | Should -Not -Contain 'WhatIf' -Because "$Name only reads or changes the session: a -WhatIf would promise what it cannot keep"
            $parameters | Should -Not -Contain 'Confirm'
        }
    }
}
