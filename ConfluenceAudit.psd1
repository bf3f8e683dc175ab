@{
    # The version here is a placeholder: build.ps1 stamps the one from Directory.Build.props into out/ConfluenceAudit.
    ModuleVersion        = '0.0.0'
    RootModule           = 'ConfluenceAudit.dll'
    GUID                 = '3a63287e-8d94-4346-b58f-c02a4cdef287'
    Author               = 'ConfluenceAudit contributors'
    CompanyName          = 'ConfluenceAudit'
    Copyright            = '(c) ConfluenceAudit contributors. MIT License.'
    Description          = 'Read, export, forward and manage the Confluence audit log (Cloud and Data Center) from PowerShell, as typed pipeline objects.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('ConfluenceAudit.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-ConfluenceAudit'
        'Disconnect-ConfluenceAudit'
        'Export-ConfluenceAudit'
        'Export-ConfluenceAuditReport'
        'Get-ConfluenceAuditConnection'
        'Get-ConfluenceAuditRecord'
        'Get-ConfluenceAuditRetention'
        'New-ConfluenceAuditRecord'
        'Set-ConfluenceAuditRetention'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Confluence', 'Atlassian', 'Audit', 'AuditLog', 'Security', 'SIEM', 'Compliance', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = 'First release: connect to Confluence Cloud or Data Center; list, create and export audit records, also incrementally (-CheckpointPath, -Follow); read and change the audit retention. For Windows PowerShell 5.1 and PowerShell 7.4+.'
            # ProjectUri and LicenseUri are left out on purpose: the project has no public home yet, and LicenseUri must be
            # a web address (it cannot point at a file). The MIT license text ships in the module as LICENSE. Add both,
            # pointing at the real repository and its LICENSE, when the project is published.
        }
    }
}
