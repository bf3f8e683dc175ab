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
            ReleaseNotes = 'Connect to Confluence; list, create and export audit records; read and change the audit retention.'
        }
    }
}
