import PerennialIngestion
import PerennialStorage
print(_I.v(), _S.v())
